"""Spreadsheet export of a supervision group's register (督查台账), one row per finding
(an inspection without findings gets one row of its own)."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaoping.sheets.layout import POINTS, export_heading
from kaoping.sheets.xlsx import xlsx_response

from . import selectors

HEADERS = (
    "督查编号", "督查日期", "督查方式", "被督查组织", "督查情况", "党员编号", "姓名",
    "指标代码", "指标", "问题及佐证说明", "扣分记录", "分值",
)  # fmt: skip


@login_required
@require_GET
def group_register_xlsx(request, code: str):
    group = selectors.group_access_by_code(actor=request.user, code=code)

    def rows():
        for i in selectors.group_register(actor=request.user, group=group):
            head = (i.code, i.date, i.get_method_display(), i.organization.name, i.findings)
            findings = list(i.items.all())
            if not findings:
                yield head + ("",) * 7
            for f in findings:
                yield head + (
                    f.member.code,
                    f.member.name,
                    f.item.code,
                    f.item.name,
                    f.evidence_text,
                    f.entry.code,
                    f.entry.points,
                )

    return xlsx_response(
        f"{group.code}-督查台账.xlsx",
        "督查台账",
        HEADERS,
        rows(),
        heading=export_heading(_("督查台账"), organisation=group.name),
        formats={"分值": POINTS},
    )
