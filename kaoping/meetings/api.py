"""扫码签到 in the API: a client (a phone app, a kiosk) posts the token it scanned and gets
the sign-in back; the branch's officers read the live count. The same service and
selectors as the pages."""

import datetime

from ninja import Field, Router, Schema

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS
from kaoping.api.schemas import Code, ErrorOut

from . import api_leave, api_meetings, selectors, services

router = Router(tags=["meetings"])

ERRORS = {**READ_ERRORS, 403: ErrorOut}


class CheckInIn(Schema):
    token: str = Field(min_length=1, max_length=200)


class CheckInOut(Schema):
    meeting: str
    member: str
    name: str
    at: datetime.datetime
    late: bool


class PersonOut(Schema):
    member: str
    name: str


class CheckInStatusOut(Schema):
    meeting: str
    starts_at: datetime.datetime
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    closed: bool
    expected: int
    checked_in: list[CheckInOut]
    on_leave: list[PersonOut]
    missing: list[PersonOut]


def _checkin_out(c) -> dict:
    return {
        "meeting": c.meeting.code,
        "member": c.member.code,
        "name": c.member.name,
        "at": c.at,
        "late": c.late,
    }


@router.post("/meetings/{code}/check-in", response={201: CheckInOut, **WRITE_ERRORS})
def meeting_check_in(request: AuthedRequest, code: Code, payload: CheckInIn):
    """Sign the user's member in to meeting ``code`` with the token read from the code on
    its screen (good for 30 to 60 seconds): once, inside the check-in window; after the
    start the sign-in is late. 422 with the reason otherwise (expired code, another
    meeting's code, outside the window, already signed in); 403 for a non-attendee."""
    done = services.checkin_record(actor=request.auth, code=code, token=payload.token)
    return 201, _checkin_out(done)


@router.get("/meetings/{code}/check-in", response={200: CheckInStatusOut, **ERRORS})
def meeting_check_in_status(request: AuthedRequest, code: Code):
    """The live count of a meeting's check-in, for its branch's officers: who signed in
    (and when, late or not), who is on approved leave, who is still missing."""
    meeting = selectors.meeting_access_by_code(actor=request.auth, code=code)
    status = selectors.checkin_status(actor=request.auth, meeting=meeting)
    timing = selectors.meeting_timing(meeting)
    return {
        "meeting": meeting.code,
        "starts_at": meeting.starts_at,
        "opens_at": timing.checkin_opens,
        "closes_at": timing.checkin_closes,
        "closed": meeting.is_closed,
        "expected": status.expected,
        "checked_in": [_checkin_out(c) for c in status.checked_in],
        "on_leave": [{"member": m.code, "name": m.name} for m in status.on_leave],
        "missing": [{"member": m.code, "name": m.name} for m in status.missing],
    }


# Every other action of the meeting pages (issue 20): meetings, then written leave.
router.add_router("", api_meetings.router)
router.add_router("", api_leave.router)
