"""Dues pages: a branch's month, payments, amounts, settings, import, closing."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from kaoping.jobs.imports import branch_import_views
from kaoping.kit.answers import form_done as _done
from kaoping.kit.answers import form_saved
from kaoping.kit.forms import flash_service_error
from kaoping.kit.tables import Column, Filter, TableSpec, table
from kaoping.orgs.selectors import scope_for

from . import selectors, services
from .background import DUES_IMPORT
from .forms import ImportForm, MonthField, PaymentForm, RateForm, SettingsForm
from .models import DuesStatus

# A month's dues, one row per member (``selectors.dues_month`` builds them all: a branch
# is at most a few hundred members), paged, sorted and filtered in Python.
DUES_TABLE = TableSpec(
    columns=(
        Column("member", _lazy("党员"), key=lambda r: r.member.code),
        Column("due", _lazy("应交"), key=lambda r: r.due, num=True),
        Column("on_time", _lazy("截止日前已交"), key=lambda r: r.paid_on_time, num=True),
        Column("paid", _lazy("合计已交"), key=lambda r: r.paid, num=True),
        Column("last", _lazy("最后缴纳"), key=lambda r: r.last_paid_on),
        Column("status", _lazy("状态"), key=lambda r: r.status),
        Column("entry", _lazy("台账记录")),
    ),
    default_sort="member",
    search_text=lambda r: f"{r.member.code} {r.member.name}",
    search_label=_lazy("姓名、编号"),
    filters=(Filter("status", _lazy("状态"), DuesStatus.choices, key=lambda r: r.status),),
)


def _month(request) -> datetime.date:
    raw = request.POST.get("month") or request.GET.get("month")
    try:
        return MonthField().clean(raw) if raw else timezone.localdate().replace(day=1)
    except Exception:  # noqa: BLE001 - a bad month in the URL shows the current month
        return timezone.localdate().replace(day=1)


def _page_url(branch, period) -> str:
    return f"{reverse('dues:branch', args=[branch.code])}?month={period:%Y-%m}"


def _members(actor, branch):
    return selectors.dues_members(actor=actor, branch=branch)


def _page(
    request, branch, period, *, payment_form=None, rate_form=None, settings_form=None, status=200
):
    actor = request.user
    can_manage = scope_for(actor).manages(branch.path)
    settings = selectors.dues_settings_for(branch)
    rows = selectors.dues_month(branch=branch, period=period)
    counts = {s: sum(1 for r in rows if r.status == s) for s in ("paid", "late", "short", "unpaid")}
    members = _members(actor, branch)
    closing = selectors.dues_closing(branch=branch, period=period)
    if can_manage:
        payment_form = payment_form or PaymentForm(
            members=members,
            initial={"month": f"{period:%Y-%m}", "paid_on": timezone.localdate()},
        )
        rate_form = rate_form or RateForm(members=members, initial={"year": period.year})
        settings_form = settings_form or SettingsForm(
            initial={"deadline_day": settings.deadline_day, "item_code": settings.item_code}
        )
    context = {
        "branch": branch,
        "period": period,
        "prev": (period - datetime.timedelta(days=1)).replace(day=1),
        "next": (period + datetime.timedelta(days=32)).replace(day=1),
        "rows": table(request, rows, DUES_TABLE),
        "counts": counts,
        "settings": settings,
        "deadline": selectors.deadline_of(period, settings),
        "closing": closing,
        # the closing is offered only when the service would allow it, else say why
        "close_blocker": (
            services.dues_close_blocker(branch=branch, period=period, settings=settings)
            if can_manage and closing is None
            else None
        ),
        "can_manage": can_manage,
        "payment_form": payment_form,
        "rate_form": rate_form,
        "settings_form": settings_form,
        "import_form": ImportForm() if can_manage else None,
    }
    return render(request, "dues/branch.html", context, status=status)


@login_required
@require_GET
def branch_dues(request, code: str):
    branch = selectors.branch_for_dues(actor=request.user, code=code)
    return _page(request, branch, _month(request))


# The forms of the month's page that post to their own view, by their name on the page.
PAGE_FORMS = {PaymentForm: "payment_form", RateForm: "rate_form", SettingsForm: "settings_form"}


def _form_post(request, code: str, form_class, save, message: str):
    """A form of the month's page, posted: ``save(actor, branch, data)`` calls the service
    and names the month to go back to (``None``: the month shown); a refused or invalid
    form shows the page again with the form's errors."""
    actor = request.user
    branch = selectors.branch_for_dues(actor=actor, code=code, manage=True)
    if form_class is SettingsForm:
        form = form_class(request.POST)
    else:  # the member's forms choose among the branch's members
        form = form_class(request.POST, members=_members(actor, branch))
    period = _month(request)

    def saved(d):
        return _page_url(branch, save(actor, branch, d) or period), message

    if answer := form_saved(request, form, saved):
        return answer
    return _page(request, branch, period, status=400, **{PAGE_FORMS[form_class]: form})


@login_required
@require_POST
def payment_create(request, code: str):
    def save(actor, branch, d):
        period = d.pop("month")
        services.dues_payment_record(actor=actor, period=period, **d)
        return period

    return _form_post(request, code, PaymentForm, save, _("已录入党费。"))


@login_required
@require_POST
def rate_set(request, code: str):
    def save(actor, branch, d):
        services.dues_rate_set(actor=actor, **d)

    return _form_post(request, code, RateForm, save, _("已设定每月应交数额。"))


@login_required
@require_POST
def settings_set(request, code: str):
    def save(actor, branch, d):
        services.dues_settings_set(actor=actor, branch=branch, **d)

    return _form_post(request, code, SettingsForm, save, _("已保存党费设置。"))


def _close_confirmation(request, branch, period):
    """Closing a month cannot be undone: its consequences first (web/confirm.html); the
    same form posted again with ``confirm`` closes it."""
    month = f"{period:%Y-%m}"
    return render(
        request,
        "web/confirm.html",
        {
            "title": _("%(name)s：结算 %(month)s 党费") % {"name": branch.name, "month": month},
            "consequences": [
                _("按本支部的交纳期限核对 %(month)s 的交纳记录。") % {"month": month},
                _("逾期、未交足或未交的党员，每人记一条扣分记录，计入年度考评。"),
                _("结算不能撤销；再次结算该月不会新增记录。"),
            ],
            "action": request.path,
            "hidden": [("month", month)],
            "submit": _("确认结算"),
            "back": _page_url(branch, period),
        },
    )


@login_required
@require_POST
def month_close(request, code: str):
    actor = request.user
    branch = selectors.branch_for_dues(actor=actor, code=code, manage=True)
    period = _month(request)
    was_closed = selectors.dues_closing(branch=branch, period=period) is not None
    if not was_closed and not request.POST.get("confirm"):
        return _close_confirmation(request, branch, period)
    try:
        created = services.dues_month_close(actor=actor, branch=branch, period=period)
    except ValidationError as exc:
        flash_service_error(request, exc)
        return redirect(_page_url(branch, period))
    if was_closed:
        return _done(request, _page_url(branch, period), _("该月已结算，未新增任何记录。"))
    return _done(
        request,
        _page_url(branch, period),
        _("已结算 %(month)s，新增 %(n)s 条扣分记录。")
        % {"month": f"{period:%Y-%m}", "n": len(created)},
    )


@login_required
@require_GET
def import_template(request):
    response = HttpResponse(
        services.dues_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="dues-template.xlsx"'
    return response


dues_import_views = branch_import_views(
    DUES_IMPORT,
    back=lambda request, branch: _page_url(branch, _month(request)),
    confirm="dues:import_confirm",
    branch_of=lambda actor, code: selectors.branch_for_dues(actor=actor, code=code, manage=True),
)
