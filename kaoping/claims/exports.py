"""Spreadsheet export of a branch's bonus claims (kaoping.sheets does the writing)."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaoping.orgs.selectors import organization_access_by_code
from kaoping.sheets.layout import export_heading
from kaoping.sheets.xlsx import xlsx_response

from . import selectors

HEADERS = (
    "申报编号", "党员编号", "姓名", "年度", "指标代码", "指标", "日期", "申报事项", "佐证说明",
    "状态", "提交时间", "审核人", "审核时间", "审核意见", "加分记录",
)  # fmt: skip


@login_required
@require_GET
def branch_claims_xlsx(request, code: str):
    branch = organization_access_by_code(actor=request.user, code=code)
    claims = (
        selectors.claims_of_branch(actor=request.user, branch=branch)
        .select_related("item__scheme", "decided_by")
        .order_by("created_at", "id")
    )
    rows = (
        (
            c.code,
            c.member.code,
            c.member.name,
            c.item.scheme.year,
            c.item.code,
            c.item.name,
            c.date,
            c.description,
            c.proof_text,
            c.get_status_display(),
            c.created_at,
            c.decided_by.get_username() if c.decided_by_id else "",
            c.decided_at,
            c.decision_reason,
            c.entry.code if c.entry_id else "",
        )
        for c in claims.iterator(chunk_size=2000)
    )
    heading = export_heading(_("加分申报"), organisation=branch.name)
    return xlsx_response(f"{branch.code}-加分申报.xlsx", "加分申报", HEADERS, rows, heading=heading)
