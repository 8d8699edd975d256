"""Spreadsheets of the archive: the roster template and export, and the 12371 layout
(docs/12371-export.md). Pure: rows in, xlsx bytes out; the rows come from selectors,
already masked for the actor."""

import io

from django.utils.translation import gettext as _

from kaoping.sheets.layout import export_heading
from kaoping.sheets.xlsx import xlsx_write

from .services import ROSTER_COLUMNS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXAMPLE_ROW = (
    "M0001",
    "示例党员",
    "男",
    "汉族",
    "1980-05-01",
    "110105198005010011",
    "大学本科",
    "湖南长沙",
    "2005-07-01",
    "2006-07-01",
    "正式党员",
    "科员",
    "13800000000",
)


def _book(title: str, header, rows, heading: str | None = None) -> bytes:
    # Through the sheets' writer: its cell guard keeps user text from becoming a formula,
    # its layout fits the widths to ID numbers and dates. The template and the 12371 sheet
    # keep the header on row 1 (no title row).
    out = io.BytesIO()
    xlsx_write(out, title, header, rows, heading=heading)
    return out.getvalue()


def roster_template() -> bytes:
    return _book("党员名册", [label for _f, label in ROSTER_COLUMNS], [EXAMPLE_ROW])


def _roster_cells(line) -> list[str]:
    m, v = line.member, line.values
    cells = []
    for field, _label in ROSTER_COLUMNS:
        if field == "code":
            cells.append(m.code)
        elif field == "name":
            cells.append(m.name)
        elif field == "membership":
            cells.append(m.get_membership_display())
        else:
            cells.append(v[field])
    return cells


def roster_export(lines, organisation: str = "") -> bytes:
    """The roster in the import template's columns (so it can be edited and re-imported:
    the reader skips the title row), then the branch and the status."""
    header = [label for _f, label in ROSTER_COLUMNS] + ["所在支部", "状态"]
    rows = (
        [*_roster_cells(line), line.member.branch.name, line.member.get_status_display()]
        for line in lines
    )
    heading = export_heading(_("党员名册"), organisation=organisation)
    return _book("党员名册", header, rows, heading)


# The 12371 layout: column titles of the national system's member information sheet.
COLUMNS_12371 = (
    "序号",
    "姓名",
    "性别",
    "公民身份号码",
    "民族",
    "出生日期",
    "学历",
    "籍贯",
    "人员类别",
    "所在党支部",
    "入党日期",
    "转为正式党员日期",
    "工作岗位",
    "联系电话",
    "党籍状态",
    "是否为失联党员",
    "失去联系日期",
)
STATUS_12371 = {
    "active": "正常",
    "under_investigation": "正常",  # the national record is unchanged while under investigation
    "lost_contact": "正常",
    "transferred_out": "已转出",
    "deceased": "已去世",
}


def export_12371(lines, lost_since: dict) -> bytes:
    """One row per member; dates YYYY-MM-DD; ``lost_since`` maps member id -> date."""
    rows = []
    for number, line in enumerate(lines, start=1):
        m, v = line.member, line.values
        since = lost_since.get(m.id)
        rows.append(
            [
                number,
                m.name,
                v["gender"],
                v["id_number"],
                v["ethnicity"],
                v["birth_date"],
                v["education"],
                v["native_place"],
                m.get_membership_display(),
                m.branch.name,
                v["joined_on"],
                v["full_member_on"],
                v["job"],
                v["phone"],
                STATUS_12371[m.status],
                "是" if m.status == "lost_contact" else "否",
                since.isoformat() if since else "",
            ]
        )
    return _book("党员信息", COLUMNS_12371, rows)
