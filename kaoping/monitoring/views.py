"""The early warnings page (监测预警) and the year's thresholds; thin over the selectors."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kaoping.kit.answers import form_page_again, form_saved
from kaoping.kit.urlparams import parse_code, parse_year
from kaoping.orgs.selectors import scope_for, staff_required

from . import selectors, services
from .forms import FIELDS, SettingsForm


@login_required
@require_GET
def index(request):
    """Every warning the person may see, filtered by kind and branch (GET parameters)."""
    actor = request.user
    staff_required(actor=actor)
    year = parse_year(request.GET.get("year")) or timezone.localdate().year
    kind = parse_code(request.GET.get("kind"), name="kind")
    if kind is not None and kind not in selectors.KINDS:
        raise BadRequest(_("没有这种预警类型。"))
    branches = selectors.monitored_branches(actor=actor)
    code = parse_code(request.GET.get("branch"), name="branch")
    chosen = (
        selectors.monitored_branch_by_code(actor=actor, code=code, among=branches) if code else None
    )
    warnings = selectors.warnings_of_branches(
        branches=[chosen] if chosen else branches, year=year, kind=kind
    )
    return render(
        request,
        "monitoring/index.html",
        {
            "warnings": warnings,
            "year": year,
            "kind": kind or "",
            "kinds": selectors.KIND_CHOICES,
            "branches": branches,
            "branch": chosen,
            "may_set": scope_for(actor).is_scheme_admin,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request, year: int):
    """The working committee sets the year's thresholds (404 for everybody else)."""
    if not scope_for(request.user).is_scheme_admin:
        raise Http404(_("找不到这个页面。"))
    current = selectors.settings_for(year)
    form = SettingsForm(request.POST or None, initial={f: getattr(current, f) for f in FIELDS})

    def save(data: dict) -> tuple[str, str]:
        services.monitoring_settings_set(actor=request.user, year=year, **data)
        done = _("已保存%(year)s年度预警设置。") % {"year": year}
        return reverse("monitoring:settings", args=[year]), done

    if answer := form_saved(request, form, save):
        return answer
    context = {"form": form, "year": year}
    return form_page_again(request, "monitoring/settings.html", context)
