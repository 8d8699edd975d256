"""The unqualified procedure (不合格党员处置) in the API (issue 20): every action of its
pages as an operation, through the same selectors, services and permission checks as
``views.py``: the year's settings (the working committee), a branch's cases and the
candidates the data raises, with the branch's proposal and its one click on a candidate;
the steps of a case are in ``api_cases.py``. The list of cases and one case's file are
read in ``kaoping/api/unqualified.py``."""

from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS, scheme_of_year
from kaoping.api.pagination import Page
from kaoping.api.schemas import CaseDetailOut, CaseOut, Code, Text, Year
from kaoping.api.unqualified import case_detail_out, case_row_out

from . import api_cases, selectors, services
from .models import CaseStep, Condition, UnqualifiedCase, VoteBasis

router = Router(tags=["unqualified"])

READ = READ_ERRORS
WRITE = WRITE_ERRORS


class SettingsIn(Schema):
    vote_basis: VoteBasis
    absence_months: int = Field(..., ge=1, le=24)
    dues_months: int = Field(..., ge=1, le=12)


class SettingsOut(SettingsIn):
    year: int


class ProposeIn(Schema):
    member: Code  # an assessed member of the branch
    condition: Condition
    facts: Annotated[Text, Field(min_length=1, max_length=5000)]
    year: Year | None = None  # default: the latest scheme's year, as the page
    notify: list[UnqualifiedCase.Notice] = []  # the steps at which the member is told


class CandidateOut(Schema):
    member: str
    name: str
    year: int
    condition: str
    condition_label: str
    facts: list[str]


class CandidateIn(Schema):
    member: Code
    condition: Condition
    year: Year | None = None  # default: the latest scheme's year, as the page
    action: Literal["propose", "dismiss"]
    reason: Annotated[Text, Field(max_length=2000)] = ""  # required to dismiss


class CandidateActionOut(Schema):
    action: str
    member: str
    condition: str
    year: int
    case: str | None  # the case proposed


def _year(year: int | None) -> int:
    """The year asked for (404 without a scheme), or the pages' default."""
    if year is None:
        return selectors.current_year()
    scheme_of_year(year)
    return year


# --------------------------------------------------------------------------- settings


def _settings_out(year: int) -> dict:
    current = selectors.settings_for(year)
    return {
        "year": year,
        "vote_basis": current.vote_basis,
        "absence_months": current.absence_months,
        "dues_months": current.dues_months,
    }


@router.get("/years/{year}/unqualified-settings", response={200: SettingsOut, **READ})
def unqualified_settings(request: AuthedRequest, year: Year):
    """The year's vote rule and candidate thresholds (the defaults until set), for the
    working committee's admins (404 for everyone else, as the page)."""
    return _settings_out(selectors.settings_year(actor=request.auth, year=year))


@router.put("/years/{year}/unqualified-settings", response={200: SettingsOut, **WRITE})
def unqualified_settings_set(request: AuthedRequest, year: Year, payload: SettingsIn):
    """Set the year's vote rule (``vote_basis``) and the months of the absence (1-24) and
    dues (1-12) conditions: the working committee's admins (404 for everyone else)."""
    year = selectors.settings_year(actor=request.auth, year=year)
    services.settings_set(actor=request.auth, year=year, **payload.dict())
    return _settings_out(year)


# --------------------------------------------------------------------------- a branch


@router.get("/branches/{code}/unqualified-cases", response={200: list[CaseOut], **READ})
@paginate(Page)
def branch_unqualified_cases(
    request: AuthedRequest, code: Code, state: UnqualifiedCase.State | None = None
):
    """A branch's cases, the newest first, for those who act for one of its bodies (404
    otherwise); the member's name in full only for the branch's own officers."""
    actor = request.auth
    branch = selectors.branch_for_bodies(actor=actor, code=code)
    cases = selectors.cases_of_branch(actor=actor, branch=branch)
    if state is not None:
        cases = cases.filter(state=state)
    full_names: dict[int, bool] = {}
    return [case_row_out(actor, c, full_names) for c in cases.order_by("-created_at", "-id")]


@router.post("/branches/{code}/unqualified-cases", response={201: CaseDetailOut, **WRITE})
def branch_unqualified_propose(
    request: AuthedRequest,
    code: Code,
    payload: Form[ProposeIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
):
    """The branch proposes that a member be determined unqualified (multipart form: the
    fields, and any number of ``files`` of evidence, at most 10 of PDF, JPG, PNG, DOCX or
    XLSX, each at most 10 MB). 403 for the reviewing bodies; 422 for a member with an
    open case or not assessed in the branch."""
    actor = request.auth
    branch = selectors.branch_for_bodies(actor=actor, code=code, body=CaseStep.Body.BRANCH)
    member = selectors.proposable_members(branch=branch).filter(code=payload.member).first()
    if member is None:
        raise ValidationError({"member": _("找不到这名党员。")})
    case = services.case_propose(
        actor=actor,
        member=member,
        condition=payload.condition,
        facts=payload.facts,
        year=_year(payload.year),
        files=files or [],
        notify=payload.notify,
    )
    return 201, case_detail_out(actor, case)


@router.get("/branches/{code}/unqualified-candidates", response={200: list[CandidateOut], **READ})
@paginate(Page)
def branch_unqualified_candidates(request: AuthedRequest, code: Code, year: Year | None = None):
    """The members the year's data raises as candidates (系统提示: a condition met by the
    attendance, the dues or two warning grades), for those who act for one of the
    branch's bodies; dismissed candidates and those proposed are left out."""
    actor = request.auth
    branch = selectors.branch_for_bodies(actor=actor, code=code)
    found = selectors.candidates_of_branch(actor=actor, branch=branch, year=_year(year))
    return [
        {
            "member": c.member.code,
            "name": c.member.name,
            "year": c.year,
            "condition": c.condition,
            "condition_label": c.condition_label,
            "facts": c.facts,
        }
        for c in found
    ]


@router.post("/branches/{code}/unqualified-candidates", response={200: CandidateActionOut, **WRITE})
def branch_unqualified_candidate(request: AuthedRequest, code: Code, payload: CandidateIn):
    """One click on a candidate, by the branch: ``propose`` makes it a proposal whose
    facts are the facts found (``case``); ``dismiss`` sets it aside for the year, with a
    ``reason``. 403 for the reviewing bodies; 404 for a member not of the branch; 422 for
    a candidate the data no longer shows, or one dismissed already."""
    actor = request.auth
    branch = selectors.branch_for_bodies(actor=actor, code=code, body=CaseStep.Body.BRANCH)
    member = branch.members.filter(code=payload.member).first()
    if member is None:
        raise Http404(_("找不到这名党员。"))
    year = _year(payload.year)
    condition = str(payload.condition)
    case = None
    if payload.action == "propose":
        case = services.candidate_propose(
            actor=actor, member=member, year=year, condition=condition
        ).code
    else:
        services.candidate_dismiss(
            actor=actor, member=member, year=year, condition=condition, reason=payload.reason
        )
    return {
        "action": payload.action,
        "member": member.code,
        "condition": condition,
        "year": year,
        "case": case,
    }


router.add_router("", api_cases.router)
