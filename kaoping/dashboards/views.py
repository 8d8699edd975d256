"""Dashboard pages (看板) and their printable A4 pages. Thin: a selector reads, figures.py
draws, the template shows the chart with its numbers beside it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaoping.orgs.selectors import branch_for_staff, scope_for, staff_required
from kaoping.schemes.selectors import scheme_chosen, scheme_chosen_or_404, scheme_years

from . import figures, selectors


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


def _branch_page(request, code: str, scheme_of, report, template: str, **extra):
    """A branch's figures of one year: its dashboard, or its printed report."""
    actor = request.user
    org = branch_for_staff(actor=actor, code=code)
    scheme = scheme_of(request)
    data = report(actor=actor, branch=org, scheme=scheme)
    charts = {"charts": figures.branch_figures(data), "months": figures.month_labels()}
    context = {"branch": org, "scheme": scheme, "data": data, **charts, **extra}
    return render(request, template, context)


@login_required
@require_GET
def branch(request, code: str):
    page = "dashboards/branch.html"
    years = scheme_years()
    return _branch_page(request, code, _scheme, selectors.branch_dashboard, page, years=years)


@login_required
@require_GET
def committee(request):
    actor = request.user
    staff_required(actor=actor)
    scheme = _scheme(request)
    data = selectors.committee_dashboard(actor=actor, scheme=scheme)
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
    actor = request.user
    staff_required(actor=actor)
    scheme = _scheme(request)
    data = selectors.screen_dashboard(actor=actor, scheme=scheme)
    context = {
        "scheme": scheme,
        "data": data,
        "charts": figures.screen_figures(data),
        "refresh": SCREEN_REFRESH,
        "now": timezone.localtime(),
    }
    return render(request, "dashboards/screen.html", context)


def _scheme_required(request):
    return scheme_chosen_or_404(request.GET.get("year"))


@login_required
@require_GET
def member_ledger_print(request, code: str):
    actor = request.user
    member = selectors.member_access_for_dashboard(actor=actor, code=code)
    scheme = _scheme_required(request)
    data = selectors.member_dashboard(actor=actor, member=member, scheme=scheme)
    context = {
        "member": member,
        "scheme": scheme,
        "data": data,
        "entries": selectors.member_ledger(actor=actor, member=member, scheme=scheme),
        "printed_at": timezone.localtime(),
    }
    return render(request, "dashboards/print_ledger.html", context)


@login_required
@require_GET
def branch_report_print(request, code: str):
    page, report = "dashboards/print_report.html", selectors.branch_report
    now = timezone.localtime()
    return _branch_page(request, code, _scheme_required, report, page, printed_at=now)
