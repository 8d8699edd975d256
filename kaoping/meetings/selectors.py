"""Reads of meetings and leave requests, scoped to what the actor may see."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.orgs.models import Member, Organization, RoleAssignment
from kaoping.orgs.selectors import branch_record_for, branch_rows_for, scope_for
from kaoping.schemes.models import Scheme, SchemeItem

from .models import (
    DEFAULT_CHECKIN_CLOSES_AFTER,
    DEFAULT_CHECKIN_OPENS_BEFORE,
    DEFAULT_LEAVE_CUTOFF_BEFORE,
    ORG_LIFE_KINDS,
    AbsenceEntry,
    Attendance,
    CheckIn,
    LeaveRequest,
    Meeting,
    MeetingKind,
    MeetingRule,
)

RETIRED = Organization.Category.RETIRED


def default_item_code(kind: str, category: str) -> str:
    """The template's rule: 三会一课 → D01, 组织生活 → D03; retired branches → R01."""
    if category == RETIRED:
        return "R01"
    return "D03" if kind in ORG_LIFE_KINDS else "D01"


def meeting_rules(*, scheme: Scheme) -> dict[tuple[str, str], str]:
    """Every (kind, category) of the year with the item code it deducts."""
    rows = {(r.kind, r.category): r.item_code for r in MeetingRule.objects.filter(scheme=scheme)}
    result = {}
    for kind in MeetingKind.values:
        for category in Organization.Category.values:
            result[(kind, category)] = rows.get(
                (kind, category), rows.get((kind, ""), default_item_code(kind, category))
            )
    return result


def meeting_item(*, scheme: Scheme, kind: str, category: str) -> SchemeItem | None:
    code = meeting_rules(scheme=scheme)[(kind, category)]
    return SchemeItem.objects.filter(scheme=scheme, code=code).first()


def _staff_reads(actor: Actor, branch: Organization) -> bool:
    return scope_for(actor).reads(branch.path)


def meetings_of_branch(*, actor: Actor, branch: Organization) -> QuerySet[Meeting]:
    """A branch's meetings with their attendance counts (one query, however many rows)."""
    if not _staff_reads(actor, branch):
        raise Http404(_("找不到这个党支部。"))
    return Meeting.objects.filter(branch=branch).annotate(
        n_attendees=Count("attendances", distinct=True),
        n_present=Count("attendances", filter=Q(attendances__status="present"), distinct=True),
        n_leave=Count("attendances", filter=Q(attendances__status="leave"), distinct=True),
        n_absent=Count("attendances", filter=Q(attendances__status="absent"), distinct=True),
        n_pending_leave=Count(
            "leave_requests", filter=Q(leave_requests__status="pending"), distinct=True
        ),
    )


def meeting_access_by_code(*, actor: Actor, code: str) -> Meeting:
    """The meeting for its branch's officers, or for a member who must attend it; the same
    404 for missing and not yours."""
    meeting = branch_record_for(
        actor=actor, records=Meeting.objects, code=code, concerned="attendances"
    )
    if meeting is None:
        raise Http404(_("找不到会议 %(code)s。") % {"code": code})
    return meeting


def meeting_record_access_by_code(*, actor: Actor, code: str) -> Meeting:
    """The meeting whose record (会议记录) ``actor`` may read: its branch's officers and
    the committee; its attendees see the meeting, not its record (the same 404)."""
    meeting = meeting_access_by_code(actor=actor, code=code)
    if not _staff_reads(actor, meeting.branch):
        raise Http404(_("找不到会议 %(code)s。") % {"code": code})
    return meeting


def meeting_attendance(*, actor: Actor, meeting: Meeting) -> list[Attendance]:
    """Attendance rows with the member, the live deduction and the leave requests."""
    if not _staff_reads(actor, meeting.branch):
        return []
    return list(
        meeting.attendances.select_related("member").prefetch_related(
            Prefetch(
                "absence_entries",
                queryset=AbsenceEntry.objects.filter(active=True).select_related("entry"),
                to_attr="live_entries",
            )
        )
    )


def meeting_leave_requests(*, actor: Actor, meeting: Meeting) -> list[LeaveRequest]:
    qs = meeting.leave_requests.select_related("member", "decided_by")
    return list(branch_rows_for(actor=actor, branch=meeting.branch, rows=qs))


def leave_access_by_code(*, actor: Actor, code: str) -> LeaveRequest:
    leave = (
        LeaveRequest.objects.select_related("meeting__branch", "member").filter(code=code).first()
    )
    if leave is None:
        raise Http404(_("找不到这份请假申请。"))
    scope = scope_for(actor)
    if scope.reads(leave.meeting.branch.path) or leave.member_id == scope.member_id:
        return leave
    raise Http404(_("找不到这份请假申请。"))


def member_meetings(*, actor: Actor, member: Member, limit: int = 10) -> dict:
    """For the member page: upcoming meetings (with the member's leave request) and
    recent leave requests. Three queries."""
    scope = scope_for(actor)
    if not (scope.reads(member.branch.path) or scope.member_id == member.id):
        return {"upcoming": [], "leaves": []}
    now = timezone.now()
    upcoming = list(
        Attendance.objects.filter(member=member, meeting__status=Meeting.Status.OPEN)
        .filter(meeting__starts_at__gte=now - datetime.timedelta(hours=12))
        .select_related("meeting")
        .order_by("meeting__starts_at")[:limit]
    )
    leaves = list(
        LeaveRequest.objects.filter(member=member)
        .select_related("meeting")
        .order_by("-created_at")[:limit]
    )
    live = {lv.meeting_id: lv for lv in leaves if lv.status != LeaveRequest.Status.REFUSED}
    for a in upcoming:
        a.my_leave = live.get(a.meeting_id)  # type: ignore[attr-defined]  # for the page
    return {"upcoming": upcoming, "leaves": leaves}


def branch_pending_leaves(*, actor: Actor, branch: Organization) -> list[LeaveRequest]:
    if not scope_for(actor).manages(branch.path):
        return []
    return list(
        LeaveRequest.objects.filter(meeting__branch=branch, status=LeaveRequest.Status.PENDING)
        .select_related("meeting", "member")
        .order_by("meeting__starts_at")
    )


def branch_officers(branch: Organization) -> list:
    """The users who keep this branch (secretaries and 支委 on it or above it, who may
    approve leave): told of requests."""
    prefixes = _prefixes(branch.path)
    return [
        ra.user
        for ra in RoleAssignment.objects.filter(
            role__in=[RoleAssignment.Role.SECRETARY, RoleAssignment.Role.BRANCH_COMMITTEE],
            organization__path__in=prefixes,
        ).select_related("user")
    ]


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


@dataclass(frozen=True)
class MeetingTiming:
    """When a meeting's check-in opens and closes, and after when written leave is late."""

    checkin_opens: datetime.datetime
    checkin_closes: datetime.datetime
    leave_cutoff: datetime.datetime

    def checkin_open_at(self, at: datetime.datetime) -> bool:
        return self.checkin_opens <= at <= self.checkin_closes


def meeting_timing(meeting: Meeting) -> MeetingTiming:
    """The timing of the meeting's kind in the scheme of its year: the rule of its kind
    and branch category, else of its kind for every category, else the defaults."""
    return meeting_timings([meeting])[meeting.pk]


def meeting_timings(meetings: Sequence[Meeting]) -> dict[int, MeetingTiming]:
    """``meeting_timing`` of each meeting (``branch`` selected), by pk, in one query."""
    years = {timezone.localtime(m.starts_at).year for m in meetings}
    kinds = {m.kind for m in meetings}
    rules = {
        (r.scheme.year, r.kind, r.category): r
        for r in MeetingRule.objects.filter(scheme__year__in=years, kind__in=kinds).select_related(
            "scheme"
        )
    }
    minutes = datetime.timedelta(minutes=1)
    timings = {}
    for meeting in meetings:
        year = timezone.localtime(meeting.starts_at).year
        rule = rules.get((year, meeting.kind, meeting.branch.category)) or rules.get(
            (year, meeting.kind, "")
        )
        opens, closes, cutoff = (
            (rule.checkin_opens_before, rule.checkin_closes_after, rule.leave_cutoff_before)
            if rule is not None
            else (
                DEFAULT_CHECKIN_OPENS_BEFORE,
                DEFAULT_CHECKIN_CLOSES_AFTER,
                DEFAULT_LEAVE_CUTOFF_BEFORE,
            )
        )
        timings[meeting.pk] = MeetingTiming(
            checkin_opens=meeting.starts_at - opens * minutes,
            checkin_closes=meeting.starts_at + closes * minutes,
            leave_cutoff=meeting.starts_at - cutoff * minutes,
        )
    return timings


@dataclass(frozen=True)
class CheckInStatus:
    """The projector's and the API's live count: who signed in (on time, late), who is
    on approved leave, who is still missing."""

    meeting: Meeting
    expected: int
    checked_in: list[CheckIn]
    on_leave: list[Member]
    missing: list[Member]

    @property
    def late(self) -> int:
        return sum(1 for c in self.checked_in if c.late)


def checkin_status(*, actor: Actor, meeting: Meeting) -> CheckInStatus:
    """For the branch's officers only (the same 404 as a missing meeting for others).
    Three queries."""
    if not _staff_reads(actor, meeting.branch):
        raise Http404(_("找不到会议 %(code)s。") % {"code": meeting.code})
    members = [a.member for a in meeting.attendances.select_related("member")]
    checked = list(meeting.checkins.select_related("member"))
    leave = set(
        meeting.leave_requests.filter(status=LeaveRequest.Status.APPROVED).values_list(
            "member_id", flat=True
        )
    )
    signed = {c.member_id for c in checked}
    return CheckInStatus(
        meeting=meeting,
        expected=len(members),
        checked_in=checked,
        on_leave=[m for m in members if m.id in leave and m.id not in signed],
        missing=[m for m in members if m.id not in leave and m.id not in signed],
    )


def attendance_proposal(meeting: Meeting, attendances: list[Attendance]) -> dict[int, str]:
    """What the attendance form proposes for each row (by attendance id) when the meeting
    used check-in: a recorded status stays; an unmarked member who signed in is present,
    one with approved leave is on leave, the rest absent. Without any sign-in the form
    proposes "present" for unmarked rows, as before check-in existed."""
    signed = set(meeting.checkins.values_list("member_id", flat=True))
    leave = set(
        meeting.leave_requests.filter(status=LeaveRequest.Status.APPROVED).values_list(
            "member_id", flat=True
        )
    )
    proposal = {}
    for a in attendances:
        if a.status != Attendance.Status.UNMARKED:
            proposal[a.id] = a.status
        elif a.member_id in signed or not signed:
            proposal[a.id] = Attendance.Status.PRESENT
        elif a.member_id in leave:
            proposal[a.id] = Attendance.Status.LEAVE
        else:
            proposal[a.id] = Attendance.Status.ABSENT
    return proposal
