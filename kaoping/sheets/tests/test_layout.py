"""The layout every export gets (kaoping.sheets.layout), checked in the file itself: the
title row, widths fitted to the content, the frozen header repeated on every printed page,
A4 fitted to one page wide, and number formats; and the readers find the header below the
title, so an export imports again."""

import datetime
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from kaoping.sheets.layout import MONEY, export_heading, text_width
from kaoping.sheets.xlsx import Column, read_rows, xlsx_write

HEADERS = ("党员编号", "姓名", "日期", "录入时间", "分值", "应交", "次数", "说明")


def _written(rows, headers=HEADERS, **kwargs):
    out = io.BytesIO()
    xlsx_write(out, "台账", headers, rows, **kwargs)
    out.seek(0)
    return out


def test_an_export_is_laid_out_for_print():
    when = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30))  # noqa: DTZ001
    heading = export_heading("评分台账", organisation="第一支部", year=2026, when=when)
    rows = [
        (
            "M0001",
            "欧阳某某某",
            datetime.date(2026, 3, 2),
            when,
            Decimal("-2.5"),
            Decimal("1250.5"),
            3,
            "很长的说明" * 20,
        )
    ]
    sheet = load_workbook(_written(rows, heading=heading, formats={"应交": MONEY})).active
    assert sheet["A1"].value == heading == "第一支部 2026年度 评分台账（2026-03-02 09:30 导出）"
    assert sheet["A1"].font.b and sheet["A2"].value == "党员编号" and sheet["A2"].font.b
    assert sheet.freeze_panes == "A3" and sheet.print_title_rows == "$1:$2"
    width = {h: sheet.column_dimensions[chr(65 + i)].width for i, h in enumerate(HEADERS)}
    assert width["姓名"] >= text_width("欧阳某某某") == 10
    assert width["日期"] >= 10 and width["录入时间"] >= 16
    assert width["说明"] == 40 and sheet["H3"].alignment.wrap_text  # long text wraps
    formats = [c.number_format for c in sheet[3]]
    assert formats[2:6] == ["yyyy-mm-dd", "yyyy-mm-dd hh:mm", "0.0", "0.00"]
    assert sheet["C3"].value.date() == datetime.date(2026, 3, 2)  # a real date, not text
    setup = sheet.page_setup
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (9, 1, 0)
    assert setup.orientation == "landscape"  # the columns need it
    narrow = load_workbook(_written([("M1", "张三")])).active
    assert narrow.page_setup.orientation == "portrait" and narrow.freeze_panes == "A2"
    assert narrow["A1"].value == "党员编号"  # no heading: the header is row 1


def test_an_export_imports_again_below_its_title():
    columns = [
        Column("code", "党员编号"),
        Column("date", "日期", kind="date"),
        Column("points", "分值", kind="decimal"),
    ]
    rows = [("M0001", "张三", datetime.date(2026, 3, 2), None, Decimal("-2.5"))]
    read, errors = read_rows(_written(rows, heading=export_heading("台账")), columns)
    assert errors == []
    assert [(r.line, r.values) for r in read] == [
        (3, {"code": "M0001", "date": datetime.date(2026, 3, 2), "points": Decimal("-2.5")})
    ]
    _read, errors = read_rows(_written([], heading="标题"), [*columns, Column("x", "缺的列")])
    assert [(e.row, e.column) for e in errors] == [(2, "缺的列")]


def test_an_exported_roster_reads_again():
    from kaoping.archive.services import ROSTER_SHEET_COLUMNS, roster_sheet_read

    header = [c.header for c in ROSTER_SHEET_COLUMNS] + ["所在支部", "状态"]
    cells = ["M0001", "张三"] + [""] * (len(ROSTER_SHEET_COLUMNS) - 2) + ["第一支部", "正常"]
    written = _written([cells], header, heading=export_heading("党员名册"))
    rows, errors = roster_sheet_read(written)
    assert errors == [] and [(r.line, r.values["code"]) for r in rows] == [(3, "M0001")]
