"""Spreadsheet export of a branch's meeting attendance (one row per meeting and member)."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaoping.kit.urlparams import parse_year
from kaoping.orgs.selectors import organization_access_by_code
from kaoping.sheets.layout import export_heading
from kaoping.sheets.xlsx import xlsx_response

from . import selectors
from .models import Attendance

HEADERS = (
    "会议编号", "会议类型", "开始时间", "地点", "议题", "考勤状态", "党员编号", "姓名", "出勤",
)  # fmt: skip


@login_required
@require_GET
def branch_attendance_xlsx(request, code: str):
    branch = organization_access_by_code(actor=request.user, code=code)
    selectors.meetings_of_branch(actor=request.user, branch=branch)  # 404 unless its officer
    year = parse_year(request.GET.get("year"))
    attendance = Attendance.objects.filter(meeting__branch=branch).select_related(
        "meeting", "member"
    )
    if year is not None:
        attendance = attendance.filter(meeting__starts_at__year=year)
    rows = (
        (
            a.meeting.code,
            a.meeting.get_kind_display(),
            a.meeting.starts_at,
            a.meeting.place,
            a.meeting.topic,
            a.meeting.get_status_display(),
            a.member.code,
            a.member.name,
            a.get_status_display(),
        )
        for a in attendance.order_by(
            "meeting__starts_at", "meeting__code", "member__code"
        ).iterator(chunk_size=2000)
    )
    suffix = f"-{year}" if year is not None else ""
    heading = export_heading(_("会议考勤"), organisation=branch.name, year=year)
    return xlsx_response(
        f"{branch.code}{suffix}-会议考勤.xlsx", "会议考勤", HEADERS, rows, heading=heading
    )
