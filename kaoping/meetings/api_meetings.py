"""A branch's meetings in the API (issue 20): every action of the meeting pages (list,
one meeting, schedule, attendance, closing with its plan, re-opening) as an operation,
through the same selectors, services and permission checks as ``views.py``."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS
from kaoping.api.pagination import Page
from kaoping.api.schemas import Code, Moment, Text, Year
from kaoping.kit.decimals import decimal_text
from kaoping.kit.querysets import filter_given
from kaoping.orgs.selectors import (
    branch_for_staff,
    members_of_branch_by_codes,
    scope_for,
)

from . import selectors, services
from .api_leave import LeaveOut, leave_out
from .models import Meeting, MeetingKind

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    code: str
    branch: str
    kind: str
    starts_at: datetime.datetime
    place: str
    topic: str
    status: str  # open / closed (the attendance)


class MeetingRowOut(MeetingOut):
    """A line of a branch's meetings, with its attendance counts."""

    attendees: int = Field(..., alias="n_attendees")
    present: int = Field(..., alias="n_present")
    leave: int = Field(..., alias="n_leave")
    absent: int = Field(..., alias="n_absent")
    pending_leave: int = Field(..., alias="n_pending_leave")

    @staticmethod
    def resolve_branch(obj) -> str:
        return obj.branch.code


class AttendanceOut(Schema):
    member: str
    name: str
    status: str  # unmarked / present / leave / absent
    checked_in: bool


class MeetingDetailOut(MeetingOut):
    """One meeting: the attendance for its branch's officers (empty for an attendee), the
    leave requests the user may see (an attendee: their own)."""

    attendance: list[AttendanceOut]
    leave_requests: list[LeaveOut]


class ChangeIn(Schema):
    """A meeting's time, place and topic, all three (its kind and attendees stay)."""

    starts_at: Moment
    place: Text
    topic: Text


class MinutesIn(Schema):
    """会议记录: the chair, the recorder and the minutes (all three; empty clears)."""

    host: str = Field("", max_length=50)
    recorder: str = Field("", max_length=50)
    minutes: Text = ""


class MinutesOut(MinutesIn):
    meeting: str


class ScheduleIn(Schema):
    kind: str = Field(..., min_length=1, max_length=16)
    starts_at: Moment
    place: Text
    topic: Text
    # member codes; default: every assessed member of the branch
    members: list[Code] | None = None


class AttendanceIn(Schema):
    # member code -> present / leave / absent ("leave" needs an approved written request)
    statuses: dict[Code, Code]


class CloseIn(Schema):
    """Without ``confirm``: the plan of the closing (the deductions it would record), with
    ``statuses`` applied first, nothing kept. With ``confirm``: record ``statuses`` (if
    given) and close, in one transaction."""

    statuses: dict[Code, Code] | None = None
    confirm: bool = False


class PlannedOut(Schema):
    member: str
    name: str
    item: str
    points: str
    date: datetime.date


class CloseOut(Schema):
    meeting: str
    closed: bool
    already_closed: bool
    planned: list[PlannedOut]
    entries: list[str]


class ReasonIn(Schema):
    reason: Text


class ReopenOut(Schema):
    meeting: str
    closed: bool
    reversals: list[str]


def _detail(actor, meeting: Meeting) -> dict:
    checkins = set(meeting.checkins.values_list("member_id", flat=True))
    attendance = [
        {
            "member": a.member.code,
            "name": a.member.name,
            "status": a.status,
            "checked_in": a.member_id in checkins,
        }
        for a in selectors.meeting_attendance(actor=actor, meeting=meeting)
    ]
    leaves = selectors.meeting_leave_requests(actor=actor, meeting=meeting)
    return {
        "code": meeting.code,
        "branch": meeting.branch.code,
        "kind": meeting.kind,
        "starts_at": meeting.starts_at,
        "place": meeting.place,
        "topic": meeting.topic,
        "status": meeting.status,
        "attendance": attendance,
        "leave_requests": [leave_out(lv, meeting) for lv in leaves],
    }


def _require_manager(actor, meeting: Meeting) -> None:
    if not scope_for(actor).manages(meeting.branch.path):
        raise PermissionDenied(_("您不能管理这个支部的会议。"))


@router.get("/branches/{code}/meetings", response={200: list[MeetingRowOut], **READ_ERRORS})
@paginate(Page)
def branch_meeting_list(
    request: AuthedRequest,
    code: Code,
    year: Year | None = None,
    kind: MeetingKind | None = None,
    status: Meeting.Status | None = None,
):
    """The branch's meetings for its officers, newest first, with their attendance counts;
    filtered by the year of the start, the kind and the attendance status (open/closed)."""
    branch = branch_for_staff(actor=request.auth, code=code)
    meetings = selectors.meetings_of_branch(actor=request.auth, branch=branch)
    meetings = filter_given(meetings, starts_at__year=year, kind=kind, status=status)
    return meetings.select_related("branch").order_by("-starts_at", "-id")


@router.post("/branches/{code}/meetings", response={201: MeetingDetailOut, **WRITE_ERRORS})
def branch_meeting_schedule(request: AuthedRequest, code: Code, payload: ScheduleIn):
    """Schedule a meeting of the branch (its officers); ``members`` must attend (default:
    every assessed member). The attendees are told in the app."""
    actor = request.auth
    branch = branch_for_staff(actor=actor, code=code, manage=True)
    members = members_of_branch_by_codes(actor=actor, branch=branch, codes=payload.members)
    meeting = services.meeting_schedule(
        actor=actor,
        branch=branch,
        kind=payload.kind,
        starts_at=payload.starts_at,
        place=payload.place,
        topic=payload.topic,
        members=members,
    )
    return 201, _detail(actor, meeting)


@router.get("/meetings/{code}", response={200: MeetingDetailOut, **READ_ERRORS})
def meeting_detail(request: AuthedRequest, code: Code):
    """One meeting, for its branch's officers and its attendees (the same 404 otherwise)."""
    meeting = selectors.meeting_access_by_code(actor=request.auth, code=code)
    return _detail(request.auth, meeting)


@router.patch("/meetings/{code}", response={200: MeetingDetailOut, **WRITE_ERRORS})
def meeting_change(request: AuthedRequest, code: Code, payload: ChangeIn):
    """Change the meeting's time, place or topic (its branch's officers) until its
    attendance is closed; the attendees are told."""
    actor = request.auth
    meeting = selectors.meeting_access_by_code(actor=actor, code=code)
    meeting = services.meeting_change(actor=actor, meeting=meeting, **payload.dict())
    return _detail(actor, meeting)


def _minutes(meeting: Meeting) -> dict:
    return {
        "meeting": meeting.code,
        "host": meeting.host,
        "recorder": meeting.recorder,
        "minutes": meeting.minutes,
    }


@router.get("/meetings/{code}/minutes", response={200: MinutesOut, **READ_ERRORS})
def meeting_minutes(request: AuthedRequest, code: Code):
    """The meeting's record (会议记录), for its branch's officers and the committee (404
    for its attendees and everybody else); as a document at
    ``/meetings/{code}/documents/minutes``."""
    return _minutes(selectors.meeting_record_access_by_code(actor=request.auth, code=code))


@router.put("/meetings/{code}/minutes", response={200: MinutesOut, **WRITE_ERRORS})
def meeting_minutes_record(request: AuthedRequest, code: Code, payload: MinutesIn):
    """Write the meeting's record (its branch's officers, before or after attendance is
    closed, until the year is final); audited."""
    actor = request.auth
    meeting = selectors.meeting_access_by_code(actor=actor, code=code)
    meeting = services.meeting_minutes_record(actor=actor, meeting=meeting, **payload.dict())
    return _minutes(meeting)


@router.put("/meetings/{code}/attendance", response={200: MeetingDetailOut, **WRITE_ERRORS})
def meeting_attendance_take(request: AuthedRequest, code: Code, payload: AttendanceIn):
    """Record the attendance of the members named (present / leave / absent; "leave" only
    with an approved written request); the others stay as they are. 422 once closed."""
    actor = request.auth
    meeting = selectors.meeting_access_by_code(actor=actor, code=code)
    services.attendance_take(actor=actor, meeting=meeting, statuses=payload.statuses)
    return _detail(actor, meeting)


def _planned(plan: list[services.PlannedDeduction]) -> list[dict]:
    return [
        {
            "member": p.member.code,
            "name": p.member.name,
            "item": p.item.code,
            "points": decimal_text(-p.points),
            "date": p.date,
        }
        for p in plan
    ]


@router.post("/meetings/{code}/close", response={200: CloseOut, **WRITE_ERRORS})
def meeting_close(request: AuthedRequest, code: Code, payload: CloseIn):
    """Close the attendance, as the page does in two steps: without ``confirm`` the answer
    is the plan (the deductions closing would record, ``statuses`` applied first and then
    undone: nothing changes); with ``confirm`` the attendance is recorded and closed, and
    ``entries`` are the deductions recorded. Closing a closed meeting records nothing
    (``already_closed``). 422 while a member is unmarked."""
    actor = request.auth
    meeting = selectors.meeting_access_by_code(actor=actor, code=code)
    was_closed = meeting.is_closed
    if not was_closed and not payload.confirm:
        _require_manager(actor, meeting)
        with transaction.atomic():
            if payload.statuses:
                services.attendance_take(actor=actor, meeting=meeting, statuses=payload.statuses)
            plan = _planned(services.meeting_close_plan(meeting=meeting))
            transaction.set_rollback(True)
        return {
            "meeting": meeting.code,
            "closed": False,
            "already_closed": False,
            "planned": plan,
            "entries": [],
        }
    with transaction.atomic():
        if payload.statuses is not None:
            services.attendance_take(actor=actor, meeting=meeting, statuses=payload.statuses)
        created = services.meeting_close(actor=actor, meeting=meeting)
    return {
        "meeting": meeting.code,
        "closed": True,
        "already_closed": was_closed,
        "planned": [],
        "entries": [e.code for e in created],
    }


@router.post("/meetings/{code}/reopen", response={200: ReopenOut, **WRITE_ERRORS})
def meeting_reopen(request: AuthedRequest, code: Code, payload: ReasonIn):
    """Re-open a closed attendance to correct it, with a reason: the closing's deductions
    are reversed (``reversals``). 422 when it is not closed."""
    actor = request.auth
    meeting = selectors.meeting_access_by_code(actor=actor, code=code)
    reversals = services.meeting_reopen(actor=actor, meeting=meeting, reason=payload.reason)
    return {"meeting": meeting.code, "closed": False, "reversals": [r.code for r in reversals]}
