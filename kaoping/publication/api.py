"""Publication (公示), appeals (申诉), finalisation (定格) and reopening in the API (issue
20): every action of the publication pages (``views.py``) as an operation, through the
same selectors, services and permission checks. The irreversible steps (publish,
finalise, reopen) are taken as the pages take them, in two steps: without ``confirm``
the answer is the plan (its ``consequences``, the lines of the page's confirmation
dialog) and nothing changes; with ``confirm`` it is done."""

import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS, scheme_of_year
from kaoping.api.pagination import Page
from kaoping.api.schemas import Code, Text, Year
from kaoping.orgs.selectors import own_member, scope_for
from kaoping.schemes.models import SchemeItem
from kaoping.schemes.selectors import year_is_frozen

from . import selectors, services
from .models import Appeal, Publication

router = Router(tags=["publication"])

READ = READ_ERRORS
WRITE = WRITE_ERRORS


class PublicationOut(Schema):
    """A branch's year: published or not, its notice period, frozen (定格) or not, and for
    its officers why it cannot be finalised yet (``blockers``; empty for members)."""

    branch: str
    year: int
    published: bool
    version: int | None
    published_at: datetime.datetime | None
    notice_until: datetime.datetime | None
    in_notice_period: bool
    frozen: bool
    blockers: list[str]


class ConfirmIn(Schema):
    confirm: bool = False


class ReopenIn(Schema):
    reason: Annotated[Text, Field(min_length=1)]
    confirm: bool = False


class StepOut(Schema):
    """The answer of an irreversible step: without ``confirm`` its plan (``done`` false,
    the ``consequences`` the page shows before it is confirmed), with it the result."""

    branch: str
    year: int
    done: bool
    consequences: list[str]
    publication: PublicationOut


class AppealOut(Schema):
    code: str
    year: int
    member: str
    name: str
    entry: str | None  # the appealed ledger entry; None: the grade
    entry_item: str | None
    reasons: str
    evidence: str
    status: str  # open / upheld / refused
    answer: str
    filed_at: datetime.datetime
    answered_at: datetime.datetime | None


class AppealIn(Schema):
    year: Year
    entry: Code | None = None  # one of the member's live entries of the year; None: the grade
    reasons: Annotated[Text, Field(min_length=1)]
    evidence: Text = ""


class AnswerIn(Schema):
    upheld: bool
    answer: Annotated[Text, Field(min_length=1)]
    # upheld: reverse the appealed entry and/or add an entry of the year's scheme
    reverse_entry: bool = False
    add_item: Code | None = None
    add_occurrences: int = Field(1, ge=1, le=999)
    add_date: datetime.date | None = None


def appeal_out(appeal: Appeal) -> dict:
    return {
        "code": appeal.code,
        "year": appeal.year,
        "member": appeal.member.code,
        "name": appeal.member.name,
        "entry": appeal.entry.code if appeal.entry is not None else None,
        "entry_item": appeal.entry.item.code if appeal.entry is not None else None,
        "reasons": appeal.reasons,
        "evidence": appeal.evidence,
        "status": appeal.status,
        "answer": appeal.answer,
        "filed_at": appeal.filed_at,
        "answered_at": appeal.answered_at,
    }


def publication_out(actor, branch, year: int) -> dict:
    publication: Publication | None = selectors.publication_of(branch=branch, year=year)
    frozen = year_is_frozen(year=year, branch=branch)
    blockers: list[str] = []
    if not frozen and selectors.is_officer(actor=actor, branch=branch):
        blockers = services.finalisation_blockers(scheme=scheme_of_year(year), branch=branch)
    return {
        "branch": branch.code,
        "year": year,
        "published": publication is not None,
        "version": publication.version if publication else None,
        "published_at": publication.published_at if publication else None,
        "notice_until": publication.notice_until if publication else None,
        "in_notice_period": bool(publication and publication.in_notice_period),
        "frozen": frozen,
        "blockers": blockers,
    }


def _step(actor, branch, year: int, *, done: bool, consequences: list[str]) -> dict:
    return {
        "branch": branch.code,
        "year": year,
        "done": done,
        "consequences": [str(c) for c in consequences],
        "publication": publication_out(actor, branch, year),
    }


# --------------------------------------------------------------------------- the branch's year


@router.get("/branches/{code}/years/{year}/publication", response={200: PublicationOut, **READ})
def publication_state(request: AuthedRequest, code: Code, year: Year):
    """The publication of a branch's year, for its members and officers (404 otherwise; a
    year without a scheme too)."""
    branch = selectors.branch_for_reader(actor=request.auth, code=code)
    scheme_of_year(year)
    return publication_out(request.auth, branch, year)


@router.post("/branches/{code}/years/{year}/publication", response={200: StepOut, **WRITE})
def publication_publish(request: AuthedRequest, code: Code, year: Year, payload: ConfirmIn):
    """Publish the branch's results to its members (公示), its officers: without
    ``confirm`` the plan (nothing changes), with it published (again: the notice period
    starts anew). 422 before the vote's totals are in, while a quota tie waits for the
    organisation's determination, or once the year is frozen."""
    actor = request.auth
    branch = selectors.branch_for_reader(actor=actor, code=code, manage=True)
    if not payload.confirm:
        plan = services.publication_plan(actor=actor, branch=branch, year=year)
        return _step(actor, branch, year, done=False, consequences=plan.consequences())
    services.publication_publish(actor=actor, branch=branch, year=year)
    return _step(actor, branch, year, done=True, consequences=[])


@router.post("/branches/{code}/years/{year}/finalise", response={200: StepOut, **WRITE})
def publication_finalise(request: AuthedRequest, code: Code, year: Year, payload: ConfirmIn):
    """Finalise the branch's year (定格), its officers: without ``confirm`` the plan (the
    grades written to the members' records, what is frozen), with it done. 422 (the
    reasons listed) while the notice period runs, an appeal is open or a tie undecided."""
    actor = request.auth
    branch = selectors.branch_for_reader(actor=actor, code=code, manage=True)
    if not payload.confirm:
        plan = services.finalisation_plan(actor=actor, branch=branch, year=year)
        if plan.blockers:
            raise ValidationError(plan.blockers)
        return _step(actor, branch, year, done=False, consequences=plan.consequences())
    services.branch_finalise(actor=actor, branch=branch, year=year)
    return _step(actor, branch, year, done=True, consequences=[])


@router.post("/branches/{code}/years/{year}/reopen", response={200: StepOut, **WRITE})
def publication_reopen(request: AuthedRequest, code: Code, year: Year, payload: ReopenIn):
    """Reopen a finalised year with a reason: the committee's admins only (403 for others
    who may see the branch). Without ``confirm`` the plan, with it done. 422 when the year
    is not finalised."""
    actor = request.auth
    branch = selectors.branch_for_reader(actor=actor, code=code)
    if not scope_for(actor).is_scheme_admin:
        raise PermissionDenied(_("只有党工委管理员可以重新开放已定格的年度。"))
    if not payload.confirm:
        consequences = selectors.reopen_consequences(
            branch=branch, year=year, reason=payload.reason
        )
        return _step(actor, branch, year, done=False, consequences=consequences)
    services.branch_reopen(actor=actor, branch=branch, year=year, reason=payload.reason)
    return _step(actor, branch, year, done=True, consequences=[])


# --------------------------------------------------------------------------- appeals


@router.get("/branches/{code}/years/{year}/appeals", response={200: list[AppealOut], **READ})
@paginate(Page)
def branch_appeal_list(request: AuthedRequest, code: Code, year: Year):
    """The appeals of a branch's year, the oldest first, for its officers (404 otherwise,
    as the page)."""
    actor = request.auth
    branch = selectors.branch_for_officer(actor=actor, code=code)
    return [appeal_out(a) for a in selectors.branch_appeals(branch=branch, year=year)]


@router.get("/me/appeals", response={200: list[AppealOut], **READ})
@paginate(Page)
def my_appeal_list(request: AuthedRequest, year: Year | None = None):
    """The user's own appeals (of ``year``, or of every year), the oldest first (none for
    a user without a member)."""
    if scope_for(request.auth).member_id is None:
        return []
    member = own_member(actor=request.auth)
    appeals = selectors.member_appeals(member=member, year=year)
    return [appeal_out(a) for a in appeals.order_by("filed_at", "id")]


@router.post("/me/appeals", response={201: AppealOut, **WRITE})
def my_appeal_file(request: AuthedRequest, payload: AppealIn):
    """The user's member appeals one of their entries of the year (``entry``) or their
    grade (no ``entry``) during the notice period. 404 without a member; 422 before the
    publication, after the notice period, with an appeal on the same subject still open,
    or for an entry that is not one of the member's live entries of the year."""
    actor = request.auth
    member = own_member(actor=actor)
    entry = None
    if payload.entry is not None:
        entries = selectors.appealable_entries(member=member, year=payload.year)
        entry = entries.filter(code=payload.entry).first()
        if entry is None:
            raise ValidationError({"entry": _("只能对本人本年度的记录申诉。")})
    appeal = services.appeal_file(
        actor=actor,
        member=member,
        year=payload.year,
        reasons=payload.reasons,
        evidence=payload.evidence,
        entry=entry,
    )
    return 201, appeal_out(appeal)


@router.get("/appeals/{code}", response={200: AppealOut, **READ})
def appeal_detail(request: AuthedRequest, code: Code):
    """An appeal, for its member and its branch's readers (the same 404 otherwise)."""
    return appeal_out(selectors.appeal_access_by_code(actor=request.auth, code=code))


@router.post("/appeals/{code}/answer", response={200: AppealOut, **WRITE})
def appeal_answer(request: AuthedRequest, code: Code, payload: AnswerIn):
    """The branch's officers answer an open appeal (404 for everyone else, as the page).
    Upheld: the appealed entry is reversed (``reverse_entry``) and/or an entry of
    ``add_item`` is added, and the results are republished; refused: ``answer`` is the
    reason. 422 when already answered, upheld without a correction, or the year frozen."""
    actor = request.auth
    appeal = selectors.appeal_access_by_code(actor=actor, code=code, manage=True)
    add_item = None
    if payload.add_item is not None:
        scheme = scheme_of_year(appeal.year)
        add_item = SchemeItem.objects.filter(scheme=scheme, code=payload.add_item).first()
        if add_item is None:
            raise ValidationError(
                {"add_item": _("没有这个指标：%(item)s。") % {"item": payload.add_item}}
            )
    answered = services.appeal_answer(
        actor=actor,
        appeal=appeal,
        upheld=payload.upheld,
        answer=payload.answer,
        reverse_entry=payload.reverse_entry,
        add_item=add_item,
        add_occurrences=payload.add_occurrences,
        add_date=payload.add_date,
    )
    return appeal_out(answered)
