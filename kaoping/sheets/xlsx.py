"""Generic .xlsx helpers: streaming exports, import templates, and reading rows with
row-level errors. No business rules: the apps say which columns and what a row means."""

import datetime
import io
import itertools
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from kaoping.kit.text import control_char, starts_like_formula, xlsx_safe

from .layout import SAMPLE_ROWS, header_find, sheet_layout, sheet_plan, value_format, wrapped

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 10000
# Above this many bytes the temporary file of an export moves from memory to disk.
SPOOL_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    """One column of an import template: its key in a parsed row, its Chinese header and the
    kind of value (text, int, decimal, date, month)."""

    key: str
    header: str
    kind: str = "text"
    required: bool = True
    comment: str = ""
    example: Any = None
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    min_value: int | None = None
    decimal_places: int | None = None


@dataclass(frozen=True)
class RowError:
    """What is wrong where: the spreadsheet row (1 is the header) and the column's header."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("第%(n)s行") % {"n": self.row}
        return (
            f"{where} {self.column}：{self.message}" if self.column else f"{where}：{self.message}"
        )


class SheetErrors(ValidationError):
    """A spreadsheet refused as a whole, carrying its row errors (nothing was changed)."""

    def __init__(self, row_errors: list[RowError]):
        self.row_errors = list(row_errors)
        super().__init__([str(e) for e in self.row_errors] or [_("表格有错误。")])


@dataclass
class SheetRow:
    """One data row: its row number in the spreadsheet and its values by column key."""

    line: int
    values: dict[str, Any]
    raw: dict[str, str] = field(default_factory=dict)


# Exports -----------------------------------------------------------------------------


def _cell(value):
    if value is None:
        return None
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value.replace(microsecond=0)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal | datetime.date | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return "、".join(str(v) for v in value)
    return str(value)


def xlsx_cell(sheet, value, fmt: str | None = None):
    """The one guard of every cell any export writes (no xlsx is written another way):
    text stays text, never a formula, even when it starts like one ("=HYPERLINK(…)",
    "+1", "@SUM(1)"), since the spreadsheet program would run it on opening (formula
    injection); characters an xlsx cannot hold are dropped, so a row stored before the
    inputs refused them still exports. Numbers and dates get their number format
    (``layout.value_format``: ``fmt`` for the column, else by type)."""
    from openpyxl.cell import WriteOnlyCell

    value = _cell(value)
    if not isinstance(value, str):
        number_format = value_format(value, fmt)
        if number_format is None:
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format
        return cell
    value = xlsx_safe(value)
    if not starts_like_formula(value):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True  # stays text when someone edits the cell
    return cell


def xlsx_write(
    out,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    heading: str | None = None,
    formats: Mapping[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
    every: int = 500,
) -> int:
    """Write one sheet to the binary file ``out`` with a write-only workbook (rows are
    streamed, never all held in memory); ``progress(n)`` is told every ``every`` rows.
    ``heading`` (``layout.export_heading``) is the title row above the header, and
    ``formats`` maps a header to its number format (``layout.MONEY``); the layout
    (widths from the first rows, print setup) is ``layout.sheet_layout``'s."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(title)[:31])
    stream = iter(rows)
    first = [[_cell(v) for v in row] for row in itertools.islice(stream, SAMPLE_ROWS)]
    plan = sheet_plan(headers, first, formats)
    sheet_layout(sheet, plan, header_row=2 if heading else 1)
    if heading:
        cell = WriteOnlyCell(sheet, value=xlsx_safe(str(heading)))
        cell.font = Font(bold=True, size=14)
        sheet.append([cell])
    bold = Font(bold=True)
    head = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=xlsx_safe(str(h)))
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    count = 0
    for row in itertools.chain(first, stream):
        cells = []
        for index, v in enumerate(row):
            fmt = plan.formats[index] if index < len(plan.formats) else None
            cell = xlsx_cell(sheet, v, fmt)
            if index < len(plan.wraps) and plan.wraps[index] and cell is not None:
                cell = wrapped(sheet, cell)
            cells.append(cell)
        sheet.append(cells)
        count += 1
        if progress is not None and count % every == 0:
            progress(count)
    book.save(out)
    if progress is not None:
        progress(count)
    return count


def xlsx_response(
    filename: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    heading: str | None = None,
    formats: Mapping[str, str] | None = None,
) -> FileResponse:
    """An attachment response; the workbook goes through a spooled temporary file, so a
    large export uses disk rather than memory."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the response closes it
    xlsx_write(out, title, headers, rows, heading=heading, formats=formats)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


# Templates ---------------------------------------------------------------------------

KIND_HINTS = {
    "text": "文本",
    "int": "整数",
    "decimal": "数字",
    "date": "日期，格式 YYYY-MM-DD",
    "month": "月份，格式 YYYY-MM",
}


def template_workbook(
    columns: Sequence[Column], title: str = "导入", rows: Iterable[Sequence[Any]] | None = None
) -> bytes:
    """An import template: the header row with a comment on each column (what it holds,
    required or not) and data validation for numbers and choices, then ``rows`` (say, the
    members to fill in) or else one example row."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if rows is not None:
        body = [list(row) for row in rows]
    elif any(c.example is not None for c in columns):
        body = [[col.example for col in columns]]
    else:
        body = []
    book = Workbook()
    sheet = book.active
    sheet.title = str(title)[:31]
    # No title row (row 1 is the header to fill in); room to type a date in any column.
    sample = [[_cell(v) for v in r] for r in body]
    plan = sheet_plan([c.header for c in columns], sample, None, least=12)
    sheet_layout(sheet, plan, header_row=1)
    sheet.append([c.header for c in columns])
    for index, col in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        lines = [_(KIND_HINTS.get(col.kind, col.kind)), _("必填") if col.required else _("可空")]
        if col.choices:
            lines.append(_("可选值：") + "、".join(col.choices))
        if col.comment:
            lines.append(col.comment)
        cell.comment = Comment("；".join(lines), "考评")
        letter = get_column_letter(index)
        cells = f"{letter}2:{letter}{MAX_ROWS + 1}"
        validation = None
        if col.choices:
            validation = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"')
        elif col.kind == "int":
            low = col.min_value if col.min_value is not None else -(10**9)
            validation = DataValidation(
                type="whole", operator="greaterThanOrEqual", formula1=str(low)
            )
        elif col.kind == "decimal":
            validation = DataValidation(type="decimal", operator="between", formula1="-1e9")
            validation.formula2 = "1e9"
        if validation is not None:
            validation.error = _("%(h)s 的值不符合要求。") % {"h": col.header}
            validation.showErrorMessage = True
            validation.add(cells)
            sheet.add_data_validation(validation)
        if col.kind in ("month", "text"):
            # Text cells keep codes like 007 and months like 2026-01 as typed.
            sheet.column_dimensions[letter].number_format = "@"
    for row in body:
        sheet.append([xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_response(filename: str, columns: Sequence[Column], title: str = "导入"):
    response = HttpResponse(template_workbook(columns, title), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Reading -----------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _convert(col: Column, value, text: str):
    """The typed value of one cell, or raise ValueError with a Chinese message."""
    found = control_char(text)
    if found:  # as every other path refuses it (kaoping.kit.text)
        raise ValueError(_("含有不允许的控制字符（%(c)s），请删除后再导入。") % {"c": found})
    if col.kind == "int":
        try:
            number = Decimal(text)
            if number != number.to_integral_value():
                raise InvalidOperation
            number = int(number)
        except (InvalidOperation, ValueError):
            raise ValueError(_("应为整数，收到“%(v)s”。") % {"v": text}) from None
        if col.min_value is not None and number < col.min_value:
            raise ValueError(_("不能小于 %(m)s，收到 %(v)s。") % {"m": col.min_value, "v": number})
        return number
    if col.kind == "decimal":
        try:
            number = Decimal(text)
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise ValueError(_("应为数字，收到“%(v)s”。") % {"v": text}) from None
        if col.decimal_places is not None and number.as_tuple().exponent < -col.decimal_places:
            raise ValueError(
                _("最多 %(d)s 位小数，收到“%(v)s”。") % {"d": col.decimal_places, "v": text}
            )
        if col.min_value is not None and number < col.min_value:
            raise ValueError(_("不能小于 %(m)s，收到 %(v)s。") % {"m": col.min_value, "v": text})
        return number
    if col.kind == "date":
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(_("应为日期 YYYY-MM-DD，收到“%(v)s”。") % {"v": text}) from None
    if col.kind == "month":
        if isinstance(value, datetime.date):
            return (value.date() if isinstance(value, datetime.datetime) else value).replace(day=1)
        if len(text) in (7, 10):
            try:
                return datetime.date.fromisoformat(f"{text[:7]}-01")
            except ValueError:
                pass
        raise ValueError(_("应为月份 YYYY-MM，收到“%(v)s”。") % {"v": text})
    if col.choices and text not in col.choices:
        raise ValueError(
            _("应为 %(c)s 之一，收到“%(v)s”。") % {"c": "、".join(col.choices), "v": text}
        )
    if col.max_length is not None and len(text) > col.max_length:
        raise ValueError(_("最多 %(n)s 个字。") % {"n": col.max_length})
    return text


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def sheet_upload_check(file) -> None:
    """Refuse an upload whose reading would cost more than the limits allow, from the zip's
    central directory alone, before openpyxl parses anything: the declared uncompressed
    size of all members and of each worksheet, and each member's compression ratio (a zip
    bomb). Python's zipfile never inflates a member past its declared size (a longer one
    fails its CRC), so the declared sizes bound the work. Raises ``ValidationError`` with a
    message naming the limit; leaves ``file`` at its start."""
    import zipfile

    from django.conf import settings

    unreadable = ValidationError(_("无法读取该文件，请使用下载的 xlsx 模板。"))
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise unreadable from None
    finally:
        file.seek(0)
    total = sum(m.file_size for m in members)
    if total > settings.KAOPING_SHEET_MAX_UNCOMPRESSED_BYTES:
        raise ValidationError(
            _("表格文件解压后共 %(size)s MB，超过上限 %(limit)s MB，未读取。")
            % {"size": _mb(total), "limit": _mb(settings.KAOPING_SHEET_MAX_UNCOMPRESSED_BYTES)}
        )
    for member in members:
        if (
            member.filename.startswith("xl/worksheets/")
            and member.file_size > settings.KAOPING_SHEET_MAX_SHEET_BYTES
        ):
            raise ValidationError(
                _("工作表解压后 %(size)s MB，超过上限 %(limit)s MB（多余的空行也算在内），未读取。")
                % {
                    "size": _mb(member.file_size),
                    "limit": _mb(settings.KAOPING_SHEET_MAX_SHEET_BYTES),
                }
            )
        # Small members may compress very well (a few bytes of XML); only sizeable ones count.
        if (
            member.file_size > 1024 * 1024
            and member.file_size > settings.KAOPING_SHEET_MAX_RATIO * max(member.compress_size, 1)
        ):
            raise ValidationError(
                _("表格文件的压缩比超过上限 %(limit)s 倍（%(name)s），未读取。")
                % {"limit": settings.KAOPING_SHEET_MAX_RATIO, "name": member.filename}
            )


def read_rows(
    file, columns: Sequence[Column], *, max_rows: int = MAX_ROWS
) -> tuple[list[SheetRow], list[RowError]]:
    """Read the first sheet: the header row names the columns (by header, in any order; row
    1, or the row below an export's title, ``layout.header_find``); every later
    non-blank row is converted by its column's kind. Returns the rows and the errors (row,
    column, what is wrong); a row with an error is still returned, with that value None.
    The file is checked against the upload limits first (``sheet_upload_check``), and at
    most ``KAOPING_SHEET_MAX_READ_ROWS`` rows are read, blank or not."""
    try:
        header, line, values = header_find(sheet_values(file), {c.header for c in columns})
    except ValidationError as exc:
        return [], [RowError(1, "", exc.messages[0])]
    except Exception:  # noqa: BLE001 - any unreadable file gets the same message
        return [], [RowError(1, "", _("无法读取该文件，请使用下载的 xlsx 模板。"))]
    names = [_text(h) for h in (header or ())]
    where: dict[str, int] = {}
    errors: list[RowError] = []
    for col in columns:
        if col.header in names:
            where[col.key] = names.index(col.header)
        elif col.required:
            errors.append(RowError(line, col.header, _("缺少该列（请使用下载的模板）。")))
    if errors:
        return [], errors
    rows: list[SheetRow] = []
    while True:
        try:
            cells = next(values, None)
        except ValidationError as exc:
            return rows, [*errors, RowError(line + 1, "", exc.messages[0])]
        except Exception:  # noqa: BLE001 - a file broken half way gets the same message
            return rows, [
                *errors,
                RowError(line + 1, "", _("无法读取该文件，请使用下载的 xlsx 模板。")),
            ]
        if cells is None:
            break
        line += 1
        cells = list(cells)
        raw_cells = {k: cells[i] if i < len(cells) else None for k, i in where.items()}
        raw = {k: _text(v) for k, v in raw_cells.items()}
        if not any(raw.values()):
            continue
        if len(rows) >= max_rows:
            errors.append(RowError(line, "", _("一次最多导入 %(n)s 行。") % {"n": max_rows}))
            break
        parsed: dict[str, Any] = {}
        for col in columns:
            text = raw.get(col.key, "")
            if not text:
                parsed[col.key] = None
                if col.required:
                    errors.append(RowError(line, col.header, _("不能为空。")))
                continue
            try:
                parsed[col.key] = _convert(col, raw_cells[col.key], text)
            except ValueError as exc:
                parsed[col.key] = None
                errors.append(RowError(line, col.header, str(exc)))
        rows.append(SheetRow(line, parsed, raw))
    return rows, errors


def sheet_values(file) -> Iterator[tuple]:
    """The rows of the first sheet as tuples of cell values, header first, for every
    reader of an upload: the file is checked against the limits before it is parsed
    (``sheet_upload_check``), and reading stops with a ``ValidationError`` naming the limit
    after ``KAOPING_SHEET_MAX_READ_ROWS`` rows, blank ones included (openpyxl yields a row
    for every row number up to the last, so a sheet of empty ``<row>`` elements or a
    far-off row number costs rows, not just data)."""
    from django.conf import settings
    from openpyxl import load_workbook

    data = io.BytesIO(file.read())
    sheet_upload_check(data)
    book = load_workbook(data, read_only=True, data_only=True)
    limit = settings.KAOPING_SHEET_MAX_READ_ROWS
    for count, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
        if count > limit:
            raise ValidationError(
                _("表格超过 %(n)s 行（空行也算在内），未导入；请删除多余的行后再上传。")
                % {"n": limit}
            )
        yield row


def errors_by_row(errors: Iterable[RowError]) -> dict[int, dict[str, list[str]]]:
    """Errors grouped by row, then column header, for highlighting a preview table."""
    grouped: dict[int, dict[str, list[str]]] = {}
    for e in errors:
        grouped.setdefault(e.row, {}).setdefault(e.column, []).append(e.message)
    return grouped
