"""The steps of one "unqualified" case in the API (issue 20), as on its page
(``views.case_detail``): the reviewing bodies' opinion (pre-review, approval), the
branch's resubmission of a returned case, the general meeting's vote, the handling after
a determination. Each decision step is irreversible and taken as the page takes it: without
``confirm`` the answer is its plan (the ``consequences`` of the page's confirmation
dialog) and nothing is recorded; with ``confirm`` it is recorded. The answer carries the
case's file as ``GET /api/unqualified-cases/{code}`` gives it."""

import datetime
from collections.abc import Callable
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import WRITE_ERRORS
from kaoping.api.schemas import CaseDetailOut, Code, Text
from kaoping.api.unqualified import case_detail_out

from . import selectors, services
from .consequences import step_consequences
from .models import CaseHandling, UnqualifiedCase

router = Router(tags=["unqualified"])

WRITE = WRITE_ERRORS
Count = Annotated[int, Field(ge=0, le=100_000)]


class StepOut(Schema):
    """Without ``confirm``: ``done`` false and the step's ``consequences`` (nothing
    recorded); with it: ``done`` true. ``case``: the case's file as it now stands."""

    done: bool
    consequences: list[str]
    case: CaseDetailOut


class ReviewIn(Schema):
    # the body the opinion is given for; may be left out when the user acts for only one
    # of the reviewing bodies that have not given theirs in this round
    body: Literal["committee", "org_department"] | None = None
    # approve; "no": return to the branch (pre-review) / refuse (approval), with a reason
    decision: Literal["approve", "no"]
    reason: Text = ""
    confirm: bool = False


class VoteIn(Schema):
    held_on: datetime.date
    entitled: Count
    present: Count
    in_favour: Count
    against: Count
    abstaining: Count
    confirm: bool = False


class HandlingIn(Schema):
    kind: CaseHandling.Kind
    decided_on: datetime.date
    due_on: datetime.date | None = None  # required for a correction (限期改正)
    completed_on: datetime.date | None = None
    note: Text = ""
    confirm: bool = False


class ResubmitIn(Schema):
    facts: Annotated[Text, Field(min_length=1, max_length=5000)]


def _case(request: AuthedRequest, code: Code, action: str) -> UnqualifiedCase:
    """The case (404 for those who act for none of its bodies), the step open to the user
    (403 for another body's step, 422 when done or not due)."""
    case = selectors.case_access_by_code(actor=request.auth, code=code)
    selectors.step_open_check(actor=request.auth, case=case, action=action)
    return case


def _answer(actor, case: UnqualifiedCase, *, done: bool, consequences: list[Any]) -> dict:
    case.refresh_from_db()
    return {
        "done": done,
        "consequences": [str(c) for c in consequences],
        "case": case_detail_out(actor, case),
    }


def _branch_step(
    request: AuthedRequest,
    code: Code,
    action: str,
    payload: VoteIn | HandlingIn,
    record: Callable[..., Any],
) -> dict:
    """A step the branch records from the payload's fields (the vote, the handling): its
    plan without ``confirm``, ``record(actor, case, **fields)`` with it."""
    actor = request.auth
    case = _case(request, code, action)
    data = payload.dict(exclude={"confirm"})
    if not payload.confirm:
        plan = step_consequences(case=case, action=action, data=data)
        return _answer(actor, case, done=False, consequences=plan)
    record(actor=actor, case=case, **data)
    return _answer(actor, case, done=True, consequences=[])


@router.post("/unqualified-cases/{code}/review", response={200: StepOut, **WRITE})
def case_review(request: AuthedRequest, code: Code, payload: ReviewIn):
    """The working committee's or the organisation department's opinion at pre-review
    (approve, or return to the branch) or approval (approve, or refuse). 403 for the
    branch; 422 when the body gave its opinion this round, the case is at another step,
    or a return or refusal has no reason."""
    actor = request.auth
    case = _case(request, code, "review")
    choices = selectors.review_choices(actor=actor, case=case)
    body: str | None = payload.body
    if body is None:
        if len(choices) != 1:
            raise ValidationError({"body": _("请选择以何机构名义办理。")})
        body = choices[0]
    approve = payload.decision == "approve"
    data = {"body": body, "decision": payload.decision, "reason": payload.reason}
    # as the page: a refusal without its reason goes to the service, which says so
    if not payload.confirm and body in choices and (approve or payload.reason.strip()):
        plan = step_consequences(case=case, action="review", data=data)
        return _answer(actor, case, done=False, consequences=plan)
    review = (
        services.case_pre_review
        if case.state == UnqualifiedCase.State.PRE_REVIEW
        else services.case_approve
    )
    review(actor=actor, case=case, body=body, approve=approve, reason=payload.reason)
    return _answer(actor, case, done=True, consequences=[])


@router.post("/unqualified-cases/{code}/resubmit", response={200: CaseDetailOut, **WRITE})
def case_resubmit(
    request: AuthedRequest,
    code: Code,
    payload: Form[ResubmitIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
):
    """The branch resubmits a returned case with its facts corrected (multipart form:
    ``facts`` and any number of ``files``, at most 10 of PDF, JPG, PNG, DOCX or XLSX,
    each at most 10 MB): a new round of pre-review. 403 for the reviewing bodies; 422
    when the case is not returned."""
    case = _case(request, code, "resubmit")
    services.case_resubmit(actor=request.auth, case=case, facts=payload.facts, files=files or [])
    case.refresh_from_db()
    return case_detail_out(request.auth, case)


@router.post("/unqualified-cases/{code}/vote", response={200: StepOut, **WRITE})
def case_vote(request: AuthedRequest, code: Code, payload: VoteIn):
    """The branch records the general meeting's counts; the outcome follows the year's
    rule (passed: to approval; not passed: refused; not quorate: still to vote). 403 for
    the reviewing bodies; 422 when the case is not at the vote or the counts do not add
    up."""
    return _branch_step(request, code, "vote", payload, services.case_vote_record)


@router.post("/unqualified-cases/{code}/handling", response={200: StepOut, **WRITE})
def case_handling(request: AuthedRequest, code: Code, payload: HandlingIn):
    """The branch records what follows a determination (限期改正 with its deadline, 劝退,
    除名: the member's login is closed). 403 for the reviewing bodies; 422 when the case
    is not determined or a date is out of order."""
    return _branch_step(request, code, "handling", payload, services.case_handling_record)
