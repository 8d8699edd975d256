"""Results and the scheme through the API: live results, stored results and the year's
scheme with its items."""

from ninja import Router
from ninja.pagination import paginate

from kaoping.jobs.api import JobOut
from kaoping.orgs.models import Organization
from kaoping.orgs.selectors import (
    branches_visible,
    members_visible,
    organization_access_by_code,
    scope_for,
)
from kaoping.scoring.background import results_compute_start
from kaoping.scoring.selectors import live_results, stored_results

from .auth import AuthedRequest
from .common import READ_ERRORS, WRITE_ERRORS, scheme_of_year
from .pagination import Page
from .schemas import Code, ResultOut, StoredResultOut, Year, dec

router = Router()


def _branches_in(actor, branch: str | None) -> list[Organization]:
    """Visible branches, all or those under the organisation ``branch`` names."""
    branches = branches_visible(actor=actor)
    if branch:
        org = organization_access_by_code(actor=actor, code=branch)
        if org.is_branch:  # readable, so visible: the only branch under itself
            return [org]
        branches = branches.filter(path__startswith=org.path)
    return list(branches)


def _live_row(result) -> dict:
    row = result.as_dict()
    for field in ("deductions", "bonus", "daily", "democratic_pct", "democratic", "composite"):
        value = getattr(result, field)
        row[field] = dec(value)
    return row


@router.get(
    "/years/{year}/results", response={200: list[ResultOut], **READ_ERRORS}, tags=["results"]
)
@paginate(Page)
def results_live(request: AuthedRequest, year: Year, branch: Code | None = None):
    """Live results computed now from the ledger, for the members the user may see
    (ranks and quotas are per whole branch; a member sees only their own row)."""
    scheme = scheme_of_year(year)
    branches = _branches_in(request.auth, branch)
    if not branches:
        return []
    visible = None  # an officer reading every one of the branches sees all their members
    if not all(scope_for(request.auth).reads(b.path) for b in branches):
        visible = set(
            members_visible(actor=request.auth)
            .filter(branch__in=branches)
            .values_list("code", flat=True)
        )
    results = live_results(scheme=scheme, branches=branches)
    return [_live_row(r) for r in results if visible is None or r.member in visible]


@router.get(
    "/years/{year}/results/stored",
    response={200: list[StoredResultOut], **READ_ERRORS},
    tags=["results"],
)
@paginate(Page)
def results_stored(request: AuthedRequest, year: Year, branch: Code | None = None):
    """Results as last stored by ``kaoping compute``, for the members the user may see."""
    scheme_of_year(year)
    qs = stored_results(actor=request.auth, year=year)
    if branch:
        org = organization_access_by_code(actor=request.auth, code=branch)
        qs = qs.filter(branch__path__startswith=org.path)
    return qs


@router.post(
    "/years/{year}/results/compute", response={202: JobOut, **WRITE_ERRORS}, tags=["results"]
)
def results_compute(request: AuthedRequest, year: Year):
    """Recompute and store the whole year's results (the committee's admin), as a job:
    poll ``/api/jobs/{id}``."""
    scheme_of_year(year)
    return 202, results_compute_start(actor=request.auth, year=year)
