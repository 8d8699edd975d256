"""Hand-written .xlsx files for the upload-limit tests: the XML is written directly with
zipfile, so a sheet of millions of rows costs the test seconds, not openpyxl's minutes."""

import io
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OOXML}.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{_OOXML}.worksheet+xml"/></Types>'
)
_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
_SHEET_START = f'{_XML}<worksheet xmlns="{_MAIN}"><sheetData>'.encode()


def text_row(number: int, values: Iterable[str]) -> str:
    """One ``<row>`` of inline strings in columns A, B, …"""
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def blank_rows(first: int, last: int) -> Iterable[str]:
    """Empty ``<row r="N"/>`` elements: nothing to read, yet each is a row to a reader."""
    return (f'<row r="{n}"/>' for n in range(first, last + 1))


def unnumbered_blank_rows(count: int, chunk: int = 100_000) -> Iterable[str]:
    """``count`` empty ``<row/>`` elements (numbered by their place), in chunks: 3 million
    of them are 18 MB of XML that deflate to a few dozen KB."""
    while count > 0:
        yield "<row/>" * min(chunk, count)
        count -= chunk


def xlsx_bytes(rows: Iterable[str]) -> bytes:
    """A workbook whose one sheet has these ``<row>`` elements and no ``<dimension>``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_START)
            chunk: list[str] = []
            for row in rows:
                chunk.append(row)
                if len(chunk) >= 10000:
                    sheet.write("".join(chunk).encode())
                    chunk.clear()
            sheet.write("".join(chunk).encode())
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def declared_size_changed(data: bytes, member: str, size: int) -> bytes:
    """The zip with ``member``'s declared uncompressed size in the central directory set
    to ``size`` (< 4 GiB): a zip bomb's header, without inflating anything."""
    import struct

    name = member.encode()
    at = 0
    while True:
        at = data.index(b"PK\x01\x02", at)
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name:
            break
        at += 4
    return data[: at + 24] + struct.pack("<I", size) + data[at + 28 :]


def upload(data: bytes, name: str = "sheet.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
