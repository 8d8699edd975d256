"""Scheme drafts (方案草案, 科学谋划) in the API, as on the planning pages: committee admins
draft for the whole organisation, secretaries for their branch; a draft is simulated on
its base year beside the scheme in force; only a committee admin adopts one as the
scheme of its year (404 for whoever may not plan)."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS, scheme_of_year
from kaoping.api.pagination import Page
from kaoping.api.schemas import Code, SchemeItemOut, Text, Year
from kaoping.api.schemes import SettingsIn, item_out, setting_out
from kaoping.orgs.selectors import organization_access_by_code
from kaoping.schemes.models import SETTING_FIELDS

from . import selectors, services
from .models import SchemeDraft

router = Router(tags=["planning"])

Points = Annotated[Decimal, Field(ge=0, max_digits=8, decimal_places=4)]


class DraftFields(Schema):
    id: int
    title: str
    year: int  # the year whose scheme it drafts
    base: int  # the year it is simulated on
    branch: str | None  # None: the whole organisation
    created_at: datetime.datetime
    adopted_at: datetime.datetime | None


class DraftOut(DraftFields):
    """A draft as listed (read from the model)."""

    @staticmethod
    def resolve_id(obj: SchemeDraft) -> int:
        return obj.pk

    @staticmethod
    def resolve_base(obj: SchemeDraft) -> int:
        return obj.base.year

    @staticmethod
    def resolve_branch(obj: SchemeDraft) -> str | None:
        return obj.branch.code if obj.branch is not None else None


class GradeCountOut(Schema):
    grade: str
    now: int
    draft: int
    difference: int


class GradeChangeOut(Schema):
    member: str
    name: str
    branch: str
    now: str
    draft: str


class SimulationOut(Schema):
    members: int
    score_changes: int  # members whose composite score changes
    grades: list[GradeCountOut]
    changes: list[GradeChangeOut]  # members whose grade changes


class DraftDetailOut(DraftFields):
    settings: dict[str, object]
    items: list[SchemeItemOut]
    simulation: SimulationOut


class DraftNewIn(Schema):
    base: Year  # a year with a scheme, normally this one
    year: Year
    title: Annotated[Text, Field(max_length=200)] = ""
    branch: Code | None = None  # a branch the secretary manages; None: the whole organisation


class DraftPointsIn(Schema):
    points: dict[Code, Points] = Field(..., max_length=500)  # item code -> points


class AdoptedOut(Schema):
    year: int  # the year whose scheme is now the draft's


def _detail(actor, draft: SchemeDraft) -> dict:
    sim = selectors.draft_simulation(actor=actor, draft=draft)
    return {
        "id": draft.pk,
        "title": draft.title,
        "year": draft.year,
        "base": draft.base.year,
        "branch": draft.branch.code if draft.branch is not None else None,
        "created_at": draft.created_at,
        "adopted_at": draft.adopted_at,
        "settings": {f: setting_out(getattr(draft, f)) for f in SETTING_FIELDS},
        "items": [item_out(i) for i in draft.items.order_by("code")],
        "simulation": {
            "members": sim.members,
            "score_changes": sim.score_changes,
            "grades": [
                {"grade": str(g), "now": now, "draft": then, "difference": diff}
                for g, now, then, diff in sim.grades
            ],
            "changes": [
                {
                    "member": c.code,
                    "name": c.name,
                    "branch": c.branch,
                    "now": str(c.old.grade),
                    "draft": str(c.new.grade),
                }
                for c in sim.changes
            ],
        },
    }


def _planner(actor) -> None:
    if not selectors.may_plan(actor=actor):
        raise Http404(_("找不到这个页面。"))


@router.get("/scheme-drafts", response={200: list[DraftOut], **READ_ERRORS})
@paginate(Page)
def draft_list(request: AuthedRequest):
    """The drafts the person may see (their branches', and the whole organisation's for a
    committee admin), newest first."""
    _planner(request.auth)
    return selectors.drafts_visible(actor=request.auth).order_by("-created_at", "-id")


@router.post("/scheme-drafts", response={201: DraftDetailOut, **WRITE_ERRORS})
def draft_new(request: AuthedRequest, payload: DraftNewIn):
    """Copy the ``base`` year's scheme into a draft of ``year``'s (for ``branch``, or the
    whole organisation: the committee admin's)."""
    actor = request.auth
    _planner(actor)
    branch = (
        organization_access_by_code(actor=actor, code=payload.branch) if payload.branch else None
    )
    draft = services.draft_create(
        actor=actor,
        base=scheme_of_year(payload.base),
        year=payload.year,
        title=payload.title,
        branch=branch,
    )
    return 201, _detail(actor, draft)


@router.get("/scheme-drafts/{id}", response={200: DraftDetailOut, **READ_ERRORS})
def draft_detail(request: AuthedRequest, id: int):  # noqa: A002
    """One draft: its settings, its items and the simulation beside the scheme in force."""
    draft = selectors.draft_access_by_id(actor=request.auth, id=id)
    return _detail(request.auth, draft)


@router.patch("/scheme-drafts/{id}/settings", response={200: DraftDetailOut, **WRITE_ERRORS})
def draft_settings(request: AuthedRequest, id: int, payload: SettingsIn):  # noqa: A002
    """Change the draft's settings (as the scheme's: shares as fractions); the simulation
    follows."""
    draft = selectors.draft_access_by_id(actor=request.auth, id=id)
    changes = payload.dict(exclude_none=True)
    draft = services.draft_update(actor=request.auth, draft=draft, **changes)
    return _detail(request.auth, draft)


@router.put("/scheme-drafts/{id}/items", response={200: DraftDetailOut, **WRITE_ERRORS})
def draft_items(request: AuthedRequest, id: int, payload: DraftPointsIn):  # noqa: A002
    """Set the points per occurrence of the draft's items (those named)."""
    draft = selectors.draft_access_by_id(actor=request.auth, id=id)
    draft = services.draft_items_set(actor=request.auth, draft=draft, points=payload.points)
    return _detail(request.auth, draft)


@router.post("/scheme-drafts/{id}/adopt", response={200: AdoptedOut, **WRITE_ERRORS})
def draft_adopt(request: AuthedRequest, id: int):  # noqa: A002
    """Make the draft the scheme of its year (the committee admin; refused once that year
    is final)."""
    draft = selectors.draft_access_by_id(actor=request.auth, id=id, adopt=True)
    scheme = services.draft_adopt(actor=request.auth, draft=draft)
    return {"year": scheme.year}
