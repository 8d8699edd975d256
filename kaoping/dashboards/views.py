"""Dashboard pages (看板) and their printable A4 pages. Thin: a selector reads, figures.py
draws, the template shows the chart with its numbers beside it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaoping.orgs.selectors import scope_for, staff_required
from kaoping.schemes.selectors import scheme_chosen, scheme_years

from . import figures, selectors
from .printing import (
    LEDGER_PAGE,
    REPORT_PAGE,
    branch_figures_page,
    branch_report_page,
    member_ledger_page,
)


def _scheme(request):
    return scheme_chosen(request.GET.get("year"))


@login_required
@require_GET
def home(request):
    kind, code = selectors.dashboard_home(actor=request.user)
    if kind == "committee":
        return redirect("dashboards:committee")
    if kind == "branch":
        return redirect("dashboards:branch", code=code)
    if kind == "member":
        return redirect("dashboards:mine")
    raise Http404(_("没有适合您的看板。"))


def _member_page(request, member):
    actor = request.user
    scheme = _scheme(request)
    data = selectors.member_dashboard(actor=actor, member=member, scheme=scheme)
    context = {
        "member": member,
        "scheme": scheme,
        "years": scheme_years(),
        "data": data,
        "charts": figures.member_figures(data, scheme) if scheme else {},
        "is_self": scope_for(actor).member_id == member.id,
        "can_read_branch": scope_for(actor).reads(member.branch.path),
    }
    return render(request, "dashboards/member.html", context)


@login_required
@require_GET
def member_mine(request):
    return _member_page(
        request, selectors.member_access_for_dashboard(actor=request.user, code=None)
    )


@login_required
@require_GET
def member(request, code: str):
    return _member_page(
        request, selectors.member_access_for_dashboard(actor=request.user, code=code)
    )


@login_required
@require_GET
def branch(request, code: str):
    context = branch_figures_page(
        actor=request.user, code=code, scheme=_scheme(request), report=selectors.branch_dashboard
    )
    return render(request, "dashboards/branch.html", {**context, "years": scheme_years()})


def _committee_data(request, read):
    """The chosen year's scheme and ``read(actor=…, scheme=…)`` for a committee-wide page:
    only for whoever may see the committee dashboard (everyone else: 404)."""
    staff_required(actor=request.user)
    scheme = _scheme(request)
    return scheme, read(actor=request.user, scheme=scheme)


@login_required
@require_GET
def committee(request):
    scheme, data = _committee_data(request, selectors.committee_dashboard)
    context = {
        "scheme": scheme,
        "years": scheme_years(),
        "data": data,
        "charts": figures.committee_figures(data),
        "grades": [str(g) for g in selectors.GRADES],
    }
    return render(request, "dashboards/committee.html", context)


SCREEN_REFRESH = 300  # seconds between two reloads of the big screen


@login_required
@require_GET
def screen(request):
    """The big screen (数据大屏) for the committee's meeting room: 1920×1080, dark, reloads
    itself; for whoever may see the committee dashboard (everyone else: 404)."""
    scheme, data = _committee_data(request, selectors.screen_dashboard)
    context = {
        "scheme": scheme,
        "data": data,
        "charts": figures.screen_figures(data),
        "refresh": SCREEN_REFRESH,
        "now": timezone.localtime(),
    }
    return render(request, "dashboards/screen.html", context)


@login_required
@require_GET
def member_ledger_print(request, code: str):
    context = member_ledger_page(actor=request.user, code=code, year=request.GET.get("year"))
    return render(request, LEDGER_PAGE, context)


@login_required
@require_GET
def branch_report_print(request, code: str):
    context = branch_report_page(actor=request.user, code=code, year=request.GET.get("year"))
    return render(request, REPORT_PAGE, context)
