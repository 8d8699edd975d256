"""Early warnings (监测预警) in the API, as on the monitoring page: the warnings a person
may see (officers: their branches; the committee: all), and the year's thresholds, which
only the working committee's admin reads and sets (404 for everybody else, as the page)."""

import datetime
from typing import Annotated, Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS
from kaoping.api.pagination import Page
from kaoping.api.schemas import Code, Year
from kaoping.orgs.selectors import scope_for, staff_required

from . import selectors, services
from .forms import FIELDS

router = Router(tags=["monitoring"])

WarningKind = Literal["meetings", "absence", "dues", "lost_contact", "evaluation", "appeals"]
Every = Literal[0, 1, 2, 3, 6, 12]  # months between required meetings; 0: none required
Months = Annotated[int, Field(ge=0, le=120)]


class WarningOut(Schema):
    kind: str
    kind_label: str
    branch: str
    member: str | None
    message: str
    url: str  # the page where the facts are


class SettingsIO(Schema):
    general_every: Every
    committee_every: Every
    group_every: Every
    lecture_every: Every
    absence_months: Months
    dues_months: Months
    evaluation_deadline: datetime.date
    appeal_days: Annotated[int, Field(ge=0, le=60)]


def _warning_out(w) -> dict:
    return {
        "kind": w.kind,
        "kind_label": w.kind_label,
        "branch": w.branch.code,
        "member": w.member.code if w.member is not None else None,
        "message": w.message,
        "url": w.url,
    }


@router.get("/years/{year}/warnings", response={200: list[WarningOut], **READ_ERRORS})
@paginate(Page)
def warnings(
    request: AuthedRequest, year: Year, kind: WarningKind | None = None, branch: Code | None = None
):
    """The year's warnings the person may see, by branch then kind; ``kind`` and ``branch``
    narrow them (a branch they do not watch: 404)."""
    actor = request.auth
    staff_required(actor=actor)
    chosen = selectors.monitored_branch_by_code(actor=actor, code=branch) if branch else None
    found = selectors.warnings_for(actor=actor, year=year, kind=kind, branch=chosen)
    return [_warning_out(w) for w in found]


def _admin_only(actor) -> None:
    if not scope_for(actor).is_scheme_admin:
        raise Http404(_("找不到这个页面。"))


@router.get("/years/{year}/monitoring-settings", response={200: SettingsIO, **READ_ERRORS})
def monitoring_settings(request: AuthedRequest, year: Year):
    """The year's thresholds (the practice's defaults until saved)."""
    _admin_only(request.auth)
    current = selectors.settings_for(year)
    return {f: getattr(current, f) for f in FIELDS}


@router.put("/years/{year}/monitoring-settings", response={200: SettingsIO, **WRITE_ERRORS})
def monitoring_settings_set(request: AuthedRequest, year: Year, payload: SettingsIO):
    """Set the year's thresholds, all of them."""
    _admin_only(request.auth)
    saved = services.monitoring_settings_set(actor=request.auth, year=year, **payload.dict())
    return {f: getattr(saved, f) for f in FIELDS}
