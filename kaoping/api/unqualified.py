"""The "unqualified" cases (不合格党员处置) through the API: the list and one case's file."""

from ninja import Router
from ninja.pagination import paginate

from kaoping.unqualified.models import UnqualifiedCase
from kaoping.unqualified.selectors import (
    case_access_by_code,
    case_file,
    cases_visible,
    mask_name,
    names_visible,
)

from .auth import AuthedRequest
from .common import READ_ERRORS
from .pagination import Page
from .schemas import CaseDetailOut, CaseOut, Code, Year

router = Router()


def case_row_out(actor, case, full_names: dict[int, bool]) -> dict:
    if case.branch_id not in full_names:
        full_names[case.branch_id] = names_visible(actor, case.branch)
    name = case.member.name
    return {
        "code": case.code,
        "year": case.year,
        "branch": case.branch.code,
        "member": case.member.code,
        "member_name": name if full_names[case.branch_id] else mask_name(name),
        "condition": case.condition,
        "condition_label": str(case.get_condition_display()),
        "state": case.state,
        "round": case.round,
        "created_at": case.created_at,
        "closed_at": case.closed_at,
    }


@router.get(
    "/unqualified-cases", response={200: list[CaseOut], **READ_ERRORS}, tags=["unqualified"]
)
@paginate(Page)
def unqualified_cases(
    request: AuthedRequest, year: Year | None = None, state: UnqualifiedCase.State | None = None
):
    """The "unqualified" cases (不合格党员处置) of the branches where the user acts for the
    branch, the working committee or the organisation department, oldest first."""
    qs = cases_visible(actor=request.auth).order_by("created_at", "code")
    if year is not None:
        qs = qs.filter(year=year)
    if state is not None:
        qs = qs.filter(state=state)
    full_names: dict[int, bool] = {}
    return [case_row_out(request.auth, case, full_names) for case in qs]


@router.get(
    "/unqualified-cases/{code}",
    response={200: CaseDetailOut, **READ_ERRORS},
    tags=["unqualified"],
)
def unqualified_case(request: AuthedRequest, code: Code):
    """One case's file: every step (who, when, why), the general meeting's vote, the
    handling decided, and how many evidence files it holds (the files themselves are on
    the case's page)."""
    return case_detail_out(request.auth, case_access_by_code(actor=request.auth, code=code))


def case_detail_out(actor, case: UnqualifiedCase) -> dict:
    """One case's file as ``CaseDetailOut`` (also the answer of the case's steps in
    ``kaoping/unqualified/api.py``)."""
    file = case_file(case=case)
    vote = file["vote"]
    return case_row_out(actor, case, {}) | {
        "member_name": case.member.name,  # the file names the member, as its page does
        "steps": [
            {
                "round": s.round,
                "stage": s.stage,
                "body": s.body,
                "action": s.action,
                "by": s.actor.username if s.actor else None,
                "at": s.at,
                "reason": s.reason,
            }
            for s in file["steps"]
        ],
        "vote": None
        if vote is None
        else {
            "held_on": vote.held_on,
            "entitled": vote.entitled,
            "present": vote.present,
            "in_favour": vote.in_favour,
            "against": vote.against,
            "abstaining": vote.abstaining,
            "basis": vote.basis,
            "passed": vote.passed,
        },
        "handlings": [
            {
                "kind": h.kind,
                "decided_on": h.decided_on,
                "due_on": h.due_on,
                "completed_on": h.completed_on,
                "note": h.note,
            }
            for h in file["handlings"]
        ],
        "evidence_files": len(file["evidence"]),
    }
