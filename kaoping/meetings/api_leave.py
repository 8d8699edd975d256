"""Written leave (书面请假) in the API (issue 20): a member asks for leave from a meeting
they must attend; the branch's officers approve or refuse it. The same selectors and
services as the meeting page and the decision page."""

import datetime
from typing import Literal

from ninja import Router, Schema
from ninja.pagination import paginate

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS
from kaoping.api.pagination import Page
from kaoping.api.schemas import Code, Text
from kaoping.orgs.selectors import branch_for_staff

from . import selectors, services
from .models import LeaveRequest, Meeting

router = Router(tags=["meetings"])


class LeaveOut(Schema):
    code: str
    meeting: str
    member: str
    name: str
    reason: str
    created_at: datetime.datetime
    late: bool  # asked after the meeting rule's cut-off
    status: str  # pending / approved / refused
    decided_at: datetime.datetime | None
    decision_reason: str


class LeaveIn(Schema):
    reason: Text


class DecisionIn(Schema):
    decision: Literal["approve", "refuse"]
    reason: Text = ""  # required to refuse


def leave_out(leave: LeaveRequest, meeting: Meeting | None = None) -> dict:
    return {
        "code": leave.code,
        "meeting": (meeting or leave.meeting).code,
        "member": leave.member.code,
        "name": leave.member.name,
        "reason": leave.reason,
        "created_at": leave.created_at,
        "late": leave.late,
        "status": leave.status,
        "decided_at": leave.decided_at,
        "decision_reason": leave.decision_reason,
    }


@router.post("/meetings/{code}/leave-requests", response={201: LeaveOut, **WRITE_ERRORS})
def leave_request_create(request: AuthedRequest, code: Code, payload: LeaveIn):
    """The user's member asks in writing for leave from meeting ``code`` (403 unless they
    must attend it; 422 once closed, without a reason, or with a live request already).
    After the cut-off the request is accepted and marked ``late``."""
    actor = request.auth
    meeting = selectors.meeting_access_by_code(actor=actor, code=code)
    leave = services.leave_request(actor=actor, meeting=meeting, reason=payload.reason)
    return 201, leave_out(leave, meeting)


@router.get("/leave-requests/{code}", response={200: LeaveOut, **READ_ERRORS})
def leave_request_detail(request: AuthedRequest, code: Code):
    """A leave request, for its member and its branch's officers (the same 404 otherwise)."""
    return leave_out(selectors.leave_access_by_code(actor=request.auth, code=code))


@router.post("/leave-requests/{code}/decision", response={200: LeaveOut, **WRITE_ERRORS})
def leave_request_decide(request: AuthedRequest, code: Code, payload: DecisionIn):
    """Approve or refuse (with a reason) a pending leave request: the branch's officers.
    422 when already decided or the meeting's attendance is closed."""
    actor = request.auth
    leave = selectors.leave_access_by_code(actor=actor, code=code)
    decided = services.leave_decide(
        actor=actor, leave=leave, approve=payload.decision == "approve", reason=payload.reason
    )
    return leave_out(decided)


@router.post("/leave-requests/{code}/withdraw", response={200: LeaveOut, **WRITE_ERRORS})
def leave_request_withdraw(request: AuthedRequest, code: Code):
    """The member withdraws their own request, pending or approved, while the meeting's
    attendance is open (they will attend after all); 403 for anyone else who sees it."""
    leave = selectors.leave_access_by_code(actor=request.auth, code=code)
    leave = services.leave_withdraw(actor=request.auth, leave=leave)
    return leave_out(leave)


@router.get("/branches/{code}/leave-requests", response={200: list[LeaveOut], **READ_ERRORS})
@paginate(Page)
def branch_pending_leave_requests(request: AuthedRequest, code: Code):
    """The branch's leave requests awaiting a decision, as on its meetings page: for who
    keeps the branch (its other readers get an empty list), by the meeting's start."""
    branch = branch_for_staff(actor=request.auth, code=code)
    leaves = selectors.branch_pending_leaves(actor=request.auth, branch=branch)
    leaves.sort(key=lambda lv: (lv.meeting.starts_at, lv.code))
    return [leave_out(lv) for lv in leaves]
