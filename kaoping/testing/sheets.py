"""Spreadsheets in tests: reading an exported one as the importers do (from the header row
on, below the title row: the frozen rows of ``kaoping.sheets.layout`` end with the header),
and writing one to upload (a header and rows, or a paper tally's filled template)."""

import io
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook


def _header_row(sheet: Any) -> int:
    frozen = sheet.freeze_panes  # "A3": the title on row 1, the header on row 2
    return int(frozen[1:]) - 1 if frozen else 1


def export_cells(body: bytes) -> list[tuple[Any, ...]]:
    """The cells of the first sheet, header row first."""
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    return list(sheet.iter_rows(min_row=_header_row(sheet)))


def export_rows(body: bytes) -> list[tuple[Any, ...]]:
    """The values of the first sheet, header row first."""
    return [tuple(c.value for c in row) for row in export_cells(body)]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DUES_HEADER = ("党员编号", "月份", "金额", "缴纳日期")
ENTRY_HEADER = ("党员编号", "指标代码", "日期", "次数", "说明", "佐证")


def xlsx_bytes(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> bytes:
    """A workbook of one sheet (openpyxl's): the header row, then the rows."""
    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_upload(header, rows, name: str = "sheet.xlsx", content_type=None) -> SimpleUploadedFile:
    """``xlsx_bytes`` as a file a form or an API receives."""
    options = {} if content_type is None else {"content_type": content_type}
    return SimpleUploadedFile(name, xlsx_bytes(header, rows), **options)


def xlsx_for_browser(header, rows, name: str) -> dict:
    """``xlsx_bytes`` as Playwright's ``set_input_files`` takes a file."""
    return {"name": name, "mimeType": XLSX, "buffer": xlsx_bytes(header, rows)}


def paper_filled(template: bytes, counts: dict[str, list]) -> bytes:
    """A paper tally's template with each member's counts typed into their row (from the
    third column on), as a returned paper sheet."""
    book = load_workbook(io.BytesIO(template))
    for row in book.active.iter_rows(min_row=2):
        for cell, value in zip(row[2:], counts.get(row[0].value, []), strict=False):
            cell.value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
