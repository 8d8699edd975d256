"""Spreadsheet export of a branch's dues month (kaoping.sheets does the writing)."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaoping.sheets.layout import MONEY, export_heading
from kaoping.sheets.xlsx import xlsx_response

from . import selectors
from .views import _month

HEADERS = (
    "党员编号", "姓名", "月份", "应交", "截止日前已交", "本月已交", "最后缴纳日期", "状态",
    "扣分记录",
)  # fmt: skip


@login_required
@require_GET
def dues_month_xlsx(request, code: str):
    branch = selectors.branch_for_dues(actor=request.user, code=code)
    period = _month(request)
    month = f"{period:%Y-%m}"
    rows = (
        (
            r.member.code,
            r.member.name,
            month,
            r.due,
            r.paid_on_time,
            r.paid,
            r.last_paid_on,
            r.status_label,
            r.entry_code or "",
        )
        for r in selectors.dues_month(branch=branch, period=period)
    )
    return xlsx_response(
        f"{branch.code}-{month}-党费.xlsx",
        "党费",
        HEADERS,
        rows,
        heading=export_heading(_("%(month)s 党费") % {"month": month}, organisation=branch.name),
        formats=dict.fromkeys(("应交", "截止日前已交", "本月已交"), MONEY),
    )
