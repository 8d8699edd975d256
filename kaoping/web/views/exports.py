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
from kaoping.scoring.rows import RESULT_HEADERS, result_row
from kaoping.sheets.layout import POINTS, export_heading
from kaoping.sheets.xlsx import xlsx_response

from .. import selectors
from ..background import entries_export_start as start_export
from ..templatetags.kaoping_web import flag_label


def _branch_and_scheme(request, code: str):
    branch = branch_for_staff(actor=request.user, code=code)
    return branch, scheme_chosen_or_404(request.GET.get("year"))


def _sheet(branch, scheme, name: str, title: str, headers, rows, formats=None):
    """The branch's spreadsheet ``name`` of the chosen year, its title row ``title`` (the
    same words, translated)."""
    heading = export_heading(title, organisation=branch.name, year=scheme.year)
    filename = f"{branch.code}-{scheme.year}-{name}.xlsx"
    return xlsx_response(filename, name, headers, rows, heading=heading, formats=formats)


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
    formats = {"分值": POINTS}
    return _sheet(branch, scheme, "评分台账", _("评分台账"), ENTRY_HEADERS, rows, formats)


@login_required
@require_GET
def branch_results_xlsx(request, code: str):
    """The branch's live results of a year (the same engine run as the branch page)."""
    branch, scheme = _branch_and_scheme(request, code)
    members = {m.code: m for m in selectors.branch_members(actor=request.user, branch=branch)}
    results, _tallies, _decisions = selectors.branch_page_results(scheme=scheme, branch=branch)
    rows = (
        (
            *result_row(r, code=r.member, name=members[r.member].name),
            [flag_label(f) for f in r.flags],
        )
        for r in results
        if r.member in members
    )
    headers = (*RESULT_HEADERS, "标记")
    return _sheet(branch, scheme, "考评结果", _("考评结果"), headers, rows)


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
