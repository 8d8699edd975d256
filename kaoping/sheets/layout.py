"""How every spreadsheet is laid out for an office client (LibreOffice, WPS, Excel): a title
row, column widths fitted to the content, a frozen header row that repeats on every printed
page, A4 fitted to the page width, and number formats (scores with one decimal, money with
two, dates as dates). The writers in ``xlsx.py`` call ``sheet_layout`` once per sheet; the
readers find the header below the title with ``header_find``. No business rules."""

import datetime
import itertools
import unicodedata
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

SCORE = "0.0"
MONEY = "0.00"
# An entry's points (up to four decimals are stored): one decimal, more only when there are.
POINTS = "0.0##"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
# Widths in characters of the default font (a CJK character counts two).
MIN_WIDTH = 6
MAX_WIDTH = 40
# Columns wider than this (in total) print in landscape; either way fitted to one page wide.
PORTRAIT_WIDTH = 100
# Rows looked at for the widths (an export streams the rest).
SAMPLE_ROWS = 500
# Title rows a reader skips above the header at most.
TITLE_ROWS = 3


def text_width(text: str) -> int:
    """The printed width of ``text`` in character cells: wide (CJK) characters count two."""
    longest = 0
    for line in text.splitlines() or [""]:
        n = sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line)
        longest = max(longest, n)
    return longest


def value_format(value: Any, override: str | None = None) -> str | None:
    """The number format of a cell: the column's own (say ``MONEY``) or one by the value's
    type (dates as dates, decimals as scores with one decimal)."""
    if isinstance(value, datetime.datetime):
        return DATETIME
    if isinstance(value, datetime.date):
        return DATE
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return override or SCORE
    if isinstance(value, int) and not isinstance(value, bool):
        return override
    return None


def _shown_width(value: Any, fmt: str | None) -> int:
    if value is None:
        return 0
    if fmt == DATETIME:
        return 16
    if fmt == DATE:
        return 10
    if isinstance(value, Decimal | float | int) and fmt and fmt.startswith("0."):
        places = len(fmt.split(".")[1].rstrip("#%"))
        return len(f"{float(value):.{places}f}") + (1 if fmt.endswith("%") else 0)
    return text_width(str(value))


@dataclass(frozen=True)
class SheetPlan:
    """What the layout decided from the header and the first rows: each column's width and
    number format (None: the type's), whether text wraps, and the orientation."""

    widths: tuple[int, ...]
    formats: tuple[str | None, ...]
    wraps: tuple[bool, ...]

    @property
    def landscape(self) -> bool:
        return sum(self.widths) > PORTRAIT_WIDTH


def sheet_plan(
    headers: Sequence[str],
    sample: Sequence[Sequence[Any]],
    formats: Mapping[str, str] | None,
    *,
    least: int = MIN_WIDTH,
) -> SheetPlan:
    """The widths (at least ``least``) and formats of the columns named ``headers``, from
    the ``sample`` rows."""
    formats = formats or {}
    widths, fmts, wraps = [], [], []
    for index, header in enumerate(headers):
        fmt = formats.get(str(header))
        widest = text_width(str(header))
        for row in sample:
            value = row[index] if index < len(row) else None
            widest = max(widest, _shown_width(value, value_format(value, fmt)))
        width = min(max(widest + 2, least), MAX_WIDTH)
        widths.append(width)
        fmts.append(fmt)
        wraps.append(widest + 2 > MAX_WIDTH)
    return SheetPlan(tuple(widths), tuple(fmts), tuple(wraps))


def export_heading(
    what: str,
    *,
    organisation: str = "",
    year: int | None = None,
    when: datetime.datetime | None = None,
) -> str:
    """The title row of an export: organisation, year, what it is and when it was made."""
    when = timezone.localtime(when or timezone.now())
    parts = [organisation, _("%(year)s年度") % {"year": year} if year else "", str(what)]
    made = _("%(when)s 导出") % {"when": f"{when:%Y-%m-%d %H:%M}"}
    return " ".join(p for p in parts if p) + f"（{made}）"


def sheet_layout(sheet, plan: SheetPlan, *, header_row: int) -> None:
    """Column widths, the frozen and repeated rows down to the header (``header_row``, below
    the title row if there is one), A4 fitted to one page wide and page numbers. Works on a
    write-only sheet before its first row, as on an ordinary one."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    for index, width in enumerate(plan.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"1:{header_row}"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.orientation = "landscape" if plan.landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = _("第 &P 页，共 &N 页")


def wrapped(sheet, value):
    """The cell of ``value`` (text, or a cell already made) wrapping its text, for a column
    at ``MAX_WIDTH``."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment

    cell = WriteOnlyCell(sheet, value=value) if isinstance(value, str) else value
    if hasattr(cell, "alignment"):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def header_find(
    values: Iterator[tuple], names: Collection[str]
) -> tuple[tuple | None, int, Iterator[tuple]]:
    """The header row among the first rows (an export has a title row above it): the first
    row with a cell equal to one of ``names``. Returns the header, its row number and the
    rows after it; when no row qualifies, the first row is the header as before."""
    seen: list[tuple] = []
    for line in range(1, TITLE_ROWS + 2):
        row = next(values, None)
        if row is None:
            break
        if any(str(c).strip() in names for c in row if c is not None):
            return row, line, values
        seen.append(row)
    if not seen:
        return None, 1, values
    return seen[0], 1, itertools.chain(seen[1:], values)
