"""Spreadsheet exports of a branch's ledger and results (kaoping.sheets does the writing)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kaoping.ledger.rows import ENTRY_HEADERS, entry_row
from kaoping.ledger.selectors import entries_visible
from kaoping.orgs.selectors import branch_for_staff
from kaoping.schemes.selectors import scheme_chosen_or_404
from kaoping.sheets.layout import POINTS, export_heading
from kaoping.sheets.xlsx import xlsx_response

from .. import selectors
from ..background import entries_export_start as start_export
from ..rows import RESULT_HEADERS
from ..templatetags.kaoping_web import flag_label, grade_label


def _branch_and_scheme(request, code: str):
    branch = branch_for_staff(actor=request.user, code=code)
    return branch, scheme_chosen_or_404(request.GET.get("year"))


@login_required
@require_GET
def branch_entries_xlsx(request, code: str):
    """The branch's ledger of a year (评分台账), reversals included, oldest first."""
    branch, scheme = _branch_and_scheme(request, code)
    entries = (
        entries_visible(actor=request.user, year=scheme.year)
        .filter(member__branch=branch)
        .order_by("date", "id")
    )
    rows = (entry_row(e) for e in entries.iterator(chunk_size=2000))
    return xlsx_response(
        f"{branch.code}-{scheme.year}-评分台账.xlsx",
        "评分台账",
        ENTRY_HEADERS,
        rows,
        heading=export_heading(_("评分台账"), organisation=branch.name, year=scheme.year),
        formats={"分值": POINTS},
    )


@login_required
@require_GET
def branch_results_xlsx(request, code: str):
    """The branch's live results of a year (the same engine run as the branch page)."""
    branch, scheme = _branch_and_scheme(request, code)
    members = {m.code: m for m in selectors.branch_members(actor=request.user, branch=branch)}
    results, _tallies, _decisions = selectors.branch_page_results(scheme=scheme, branch=branch)
    rows = (
        (
            r.rank,
            r.member,
            members[r.member].name,
            r.deductions,
            r.bonus,
            r.daily,
            r.democratic_pct,
            r.democratic,
            r.composite,
            grade_label(r.grade),
            [flag_label(f) for f in r.flags],
        )
        for r in results
        if r.member in members
    )
    return xlsx_response(
        f"{branch.code}-{scheme.year}-考评结果.xlsx",
        "考评结果",
        RESULT_HEADERS,
        rows,
        heading=export_heading(_("考评结果"), organisation=branch.name, year=scheme.year),
    )


def _year_of(request) -> int:
    return scheme_chosen_or_404(request.POST.get("year")).year


@login_required
@require_POST
def results_compute_start(request):
    """A committee admin recomputes and stores a whole year's results in the background."""
    from kaoping.scoring.background import results_compute_start as start

    job = start(actor=request.user, year=_year_of(request))
    return redirect(reverse("jobs:detail", args=[job.pk]))


@login_required
@require_POST
def entries_export_start(request):
    """An officer exports the ledger of every branch they read, in the background."""
    job = start_export(actor=request.user, year=_year_of(request))
    return redirect(reverse("jobs:detail", args=[job.pk]))
