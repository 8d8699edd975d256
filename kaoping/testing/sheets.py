"""Reading an exported spreadsheet in tests as the importers do: from the header row on,
below the title row (the frozen rows of ``kaoping.sheets.layout`` end with the header)."""

import io
from typing import Any

from openpyxl import load_workbook


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
