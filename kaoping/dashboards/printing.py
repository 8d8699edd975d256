"""What the dashboards' A4 pages show (打印页): the member's ledger and the branch's
annual report of a year, as template contexts. The print pages render them in the
browser; the documents app renders the same templates on the server as archival PDFs."""

from django.utils import timezone

from kaoping.annotations import Actor
from kaoping.orgs.selectors import branch_for_staff
from kaoping.schemes.selectors import scheme_chosen_or_404

from . import figures, selectors

LEDGER_PAGE = "dashboards/print_ledger.html"
REPORT_PAGE = "dashboards/print_report.html"


def member_ledger_page(*, actor: Actor, code: str, year: str | int | None) -> dict:
    """The member's ledger of ``year`` (the member, the branch's officers, the committee;
    the same 404 for anyone else)."""
    member = selectors.member_access_for_dashboard(actor=actor, code=code)
    scheme = scheme_chosen_or_404(year)
    return {
        "member": member,
        "scheme": scheme,
        "data": selectors.member_dashboard(actor=actor, member=member, scheme=scheme),
        "entries": selectors.member_ledger(actor=actor, member=member, scheme=scheme),
        "printed_at": timezone.localtime(),
    }


def branch_figures_page(*, actor: Actor, code: str, scheme, report) -> dict:
    """A branch's figures of one year for its officers and the committee: its dashboard
    (``report`` = ``selectors.branch_dashboard``) or its annual report."""
    branch = branch_for_staff(actor=actor, code=code)
    data = report(actor=actor, branch=branch, scheme=scheme)
    return {
        "branch": branch,
        "scheme": scheme,
        "data": data,
        "charts": figures.branch_figures(data),
        "months": figures.month_labels(),
    }


def branch_report_page(*, actor: Actor, code: str, year: str | int | None) -> dict:
    """The branch's annual report (年度考评报告) of ``year``."""
    scheme = scheme_chosen_or_404(year)
    page = branch_figures_page(
        actor=actor, code=code, scheme=scheme, report=selectors.branch_report
    )
    return {**page, "printed_at": timezone.localtime()}
