"""The year's assessment scheme (考评方案) through the API: read by everyone, changed by
the committee's admin as on the scheme pages (a new year's scheme, its settings, its
items)."""

from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from kaoping.kit.text import TITLE_MAX
from kaoping.orgs.selectors import staff_required
from kaoping.schemes.models import SETTING_FIELDS
from kaoping.schemes.selectors import scheme_for_year, scheme_items
from kaoping.schemes.services import (
    scheme_create as scheme_create_service,
)
from kaoping.schemes.services import (
    scheme_item_add,
    scheme_item_upsert,
    scheme_update,
)

from .auth import AuthedRequest
from .common import READ_ERRORS, WRITE_ERRORS, scheme_of_year
from .schemas import Code, SchemeItemOut, SchemeOut, Text, Year, dec

router = Router(tags=["scheme"])

Points = Annotated[Decimal, Field(ge=0, max_digits=8, decimal_places=4)]
Share = Annotated[Decimal, Field(ge=0, le=1, max_digits=6, decimal_places=4)]
BallotOption = Literal["excellent", "qualified", "basic", "unqualified"]
Score = Annotated[Decimal, Field(ge=-1000, le=1000, max_digits=8, decimal_places=2)]


class SchemeNewIn(Schema):
    year: Year
    # the template's items, none, or a copy of another year's scheme (``copy_from``)
    source: Literal["template", "empty", "copy"] = "copy"
    copy_from: Year | None = None  # default: the year before


class SettingsIn(Schema):
    """The settings to change, in the units ``GET /api/years/{year}/scheme`` gives (shares
    as fractions: 0.30 is 30 %); those left out stay."""

    base_points: Points | None = None
    bonus_cap: Points | None = None
    democratic_share: Share | None = None
    excellent_threshold: Score | None = None
    qualified_threshold: Score | None = None
    basic_threshold: Score | None = None
    excellent_quota: Share | None = None
    quota_rounding: Literal["floor", "round_half_up", "ceil"] | None = None
    ballot_options: (
        dict[Literal["excellent", "qualified", "basic", "unqualified"], Points] | None
    ) = None
    notice_days: Annotated[int, Field(ge=0, le=365)] | None = None
    vote_min_turnout: Share | None = None


class ItemIn(Schema):
    kind: Literal["deduction", "bonus"]
    name: Annotated[Text, Field(min_length=1, max_length=TITLE_MAX)]
    points: Points  # per occurrence
    group: Annotated[Text, Field(max_length=64)] = ""
    disqualifies: bool = False  # loses the year's excellent eligibility
    categories: list[Literal["in_service", "retired"]] = []  # none: every branch


class ItemNewIn(ItemIn):
    code: Code


def setting_out(value):
    """A setting as the API gives it: decimals as exact strings, ballot options as strings."""
    if isinstance(value, Decimal):
        return dec(value)
    if isinstance(value, dict):  # ballot options, as stored
        return {k: str(v) for k, v in value.items()}
    return value


@router.get("/years/{year}/scheme", response={200: SchemeOut, **READ_ERRORS})
def scheme(request: AuthedRequest, year: Year):
    """The year's scheme: its settings and its items."""
    s = scheme_of_year(year)
    return {
        "year": s.year,
        **{f: setting_out(getattr(s, f)) for f in SETTING_FIELDS},
        "final": s.is_final,
        "items": [item_out(i) for i in scheme_items(s)],
    }


def item_out(item) -> dict:
    return {
        "code": item.code,
        "kind": item.kind,
        "group": item.group,
        "name": item.name,
        "points": dec(item.points),
        "disqualifies": item.disqualifies,
        "categories": list(item.categories or []),
    }


@router.post("/schemes", response={201: SchemeOut, **WRITE_ERRORS})
def scheme_create(request: AuthedRequest, payload: SchemeNewIn):
    """Create a year's scheme: a copy of another year's (by default the year before), the
    template's items, or none."""
    actor = request.auth
    staff_required(actor=actor)
    copy_from = None
    if payload.source == "copy":
        wanted = payload.copy_from or payload.year - 1
        copy_from = scheme_for_year(wanted)
        if copy_from is None:
            raise ValidationError(
                {"copy_from": _("%(year)s 年度还没有考评方案。") % {"year": wanted}}
            )
    created = scheme_create_service(
        actor=actor,
        year=payload.year,
        copy_from=copy_from,
        with_template_items=payload.source == "template",
    )
    return 201, scheme(request, created.year)


@router.patch("/years/{year}/scheme", response={200: SchemeOut, **WRITE_ERRORS})
def scheme_settings_update(request: AuthedRequest, year: Year, payload: SettingsIn):
    """Change settings of the year's scheme (until its results are final)."""
    staff_required(actor=request.auth)
    current = scheme_of_year(year)
    changes = payload.dict(exclude_none=True)
    if "ballot_options" in changes:
        changes["ballot_options"] = {k: str(v) for k, v in changes["ballot_options"].items()}
    scheme_update(actor=request.auth, scheme=current, **changes)
    return scheme(request, year)


@router.post("/years/{year}/scheme/items", response={201: SchemeItemOut, **WRITE_ERRORS})
def scheme_item_create(request: AuthedRequest, year: Year, payload: ItemNewIn):
    """Add an item to the year's scheme; its code must be new there."""
    staff_required(actor=request.auth)
    item = scheme_item_add(actor=request.auth, scheme=scheme_of_year(year), **payload.dict())
    return 201, item_out(item)


@router.put("/years/{year}/scheme/items/{code}", response={200: SchemeItemOut, **WRITE_ERRORS})
def scheme_item_update(request: AuthedRequest, year: Year, code: Code, payload: ItemIn):
    """Change an item: entries keep the points they were recorded with, so a new value
    applies to later entries only."""
    staff_required(actor=request.auth)
    current = scheme_of_year(year)
    item = scheme_items(current).filter(code=code).first()
    if item is None:
        raise Http404(_("%(year)s 年度方案中没有指标 %(item)s。") % {"year": year, "item": code})
    item = scheme_item_upsert(actor=request.auth, scheme=current, code=item.code, **payload.dict())
    return item_out(item)
