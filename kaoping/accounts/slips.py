"""Account slips (账号条) as a printable A4 PDF (ten slips a page, with cut lines) and as a
spreadsheet. Chinese text uses reportlab's built-in CID font STSong-Light (no font file to
ship; the reader supplies the glyphs, docs/decisions.md); codes and passwords a monospace
font, so that they read unambiguously."""

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from kaoping.sheets.layout import export_heading
from kaoping.sheets.xlsx import xlsx_write

from .services.logins import Slip

CJK = "STSong-Light"
MONO = "Courier-Bold"
COLUMNS, ROWS = 2, 5
MARGIN = 10 * mm


def _font() -> None:
    if CJK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK))


def hidden_text() -> str:
    return _("（已发放，不再显示）")


def _fit(text: str, font: str, size: float, width: float) -> str:
    while text and pdfmetrics.stringWidth(text, font, size) > width:
        text = text[:-2] + "…"
    return text


def _value_font(text: str) -> str:
    return MONO if text.isascii() else CJK


def _draw_slip(c: Canvas, slip: Slip, x: float, top: float, w: float, site: str) -> None:
    inner = w - 12 * mm
    left = x + 6 * mm
    y = top - 9 * mm
    c.setFont(CJK, 11)
    c.drawString(left, y, _("党员日常管理量化考评 · 账号条"))
    rows = [
        (_("姓名："), slip.name),
        (_("支部："), slip.branch),
        (_("用户名："), slip.username),
        (_("初始密码："), slip.password if slip.password else hidden_text()),
    ]
    for label, value in rows:
        y -= 7 * mm
        c.setFont(CJK, 10)
        c.drawString(left, y, label)
        offset = pdfmetrics.stringWidth(label, CJK, 10)
        font = _value_font(value)
        size = 12 if font == MONO else 10
        c.setFont(font, size)
        c.drawString(left + offset, y, _fit(value, font, size, inner - offset))
    y -= 7 * mm
    c.setFont(CJK, 9)
    label = _("网址：")
    c.drawString(left, y, label)
    offset = pdfmetrics.stringWidth(label, CJK, 9)
    c.setFont("Helvetica", 9)
    c.drawString(left + offset, y, _fit(site, "Helvetica", 9, inner - offset))
    y -= 6 * mm
    c.setFont(CJK, 9)
    c.drawString(left, y, _("首次登录后须修改密码"))


def _cut_lines(c: Canvas, w: float, h: float) -> None:
    page_w, page_h = A4
    c.setDash(3, 3)
    c.setLineWidth(0.4)
    for i in range(COLUMNS + 1):
        x = MARGIN + i * w
        c.line(x, MARGIN, x, page_h - MARGIN)
    for j in range(ROWS + 1):
        y = page_h - MARGIN - j * h
        c.line(MARGIN, y, page_w - MARGIN, y)
    c.setDash()


def slips_pdf(slips: Sequence[Slip], site: str, title: str) -> bytes:
    _font()
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4, pageCompression=1)
    c.setTitle(title)
    page_w, page_h = A4
    w = (page_w - 2 * MARGIN) / COLUMNS
    h = (page_h - 2 * MARGIN) / ROWS
    per_page = COLUMNS * ROWS
    for start in range(0, max(len(slips), 1), per_page):
        _cut_lines(c, w, h)
        for index, slip in enumerate(slips[start : start + per_page]):
            column, row = index % COLUMNS, index // COLUMNS
            _draw_slip(c, slip, MARGIN + column * w, page_h - MARGIN - row * h, w, site)
        c.showPage()
    c.save()
    return out.getvalue()


def slips_headers() -> list[str]:
    return [_("姓名"), _("编号"), _("支部"), _("用户名"), _("初始密码"), _("网址")]


def slips_rows(slips: Sequence[Slip], site: str) -> list[list[str]]:
    return [
        [s.name, s.code, s.branch, s.username, s.password or hidden_text(), site] for s in slips
    ]


def slips_xlsx_write(out, slips: Sequence[Slip], site: str) -> int:
    heading = export_heading(_("账号条"))
    return xlsx_write(out, _("账号条"), slips_headers(), slips_rows(slips, site), heading=heading)
