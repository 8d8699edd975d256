"""Charts drawn on the server as SVG strings: bar, stacked bar, line and gauge.

Pure (no Django, no database): numbers in, markup out. No JavaScript and no inline
``style`` (the Content-Security-Policy forbids it): colours are SVG presentation
attributes, which the policy allows, so the charts also print. Every chart is
``role="img"`` with a ``<title>`` and an ``aria-label``; the templates put the same
numbers in a table beside it. Geometry is computed in ``Decimal`` like every other number.

On screen the pages draw the same numbers with ECharts (``web/static/web/charts.js``); these
SVGs are what prints and what a reader without JavaScript sees. Every text is measured
(``text_width``, a CJK character one em, others about 0.62 em) so no label runs past the
drawing: long labels are cut with "…" and keep their full text in a ``<title>``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from html import escape

__all__ = [
    "PALETTE",
    "axis_floor",
    "bar_chart",
    "gauge",
    "line_chart",
    "stacked_bar_chart",
    "text_width",
]

# Colours that stay apart in greyscale print too (dark red, green, amber, blue, ...).
PALETTE = ("#b01c1c", "#1d6b35", "#c47f00", "#2b5d9b", "#6b3fa0", "#5b636b", "#0f7c7c")
INK = "#1f2328"
MUTED = "#5b636b"
GRID = "#d9dde1"
TRACK = "#e6e8eb"

WIDTH = 560
LABEL_MAX = 200  # the widest label column; longer labels are cut with "…"
VALUE_W = 60
ROW_H = 24
BAR_H = 14
FONT = 12

_ids = itertools.count(1)
_ZERO = Decimal(0)


def _dec(value) -> Decimal:
    if value is None:
        return _ZERO
    if isinstance(value, float):
        raise TypeError("charts take Decimal or int, never float")
    return Decimal(value)


def _c(value: Decimal) -> str:
    """A coordinate with one decimal place, without trailing zeros."""
    text = format(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), "f")
    return text[:-2] if text.endswith(".0") else text


def number(value, places: int = 1) -> str:
    """A value as the charts print it (one decimal place unless told otherwise)."""
    if value is None:
        return "—"
    quantum = Decimal(1).scaleb(-places)
    return format(_dec(value).quantize(quantum, rounding=ROUND_HALF_UP), "f")


def nice_ceiling(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 5 × 10^k that is at least ``value`` (axis maximum)."""
    if value <= 0:
        return Decimal(1)
    power = Decimal(1).scaleb(value.adjusted())
    for factor in (1, 2, 5, 10):
        candidate = power * factor
        if candidate >= value:
            return candidate
    return power * 10  # pragma: no cover - 10 × power always suffices


def axis_floor(values: Sequence, top=100) -> Decimal:
    """Where a rate axis starts so that values bunched near the top stay apart.

    0 when any value sits in the lower half (or there is none); otherwise a multiple of
    5 below the lowest value, at least 5 and at least the spread below it."""
    top = _dec(top)
    known = [_dec(v) for v in values if v is not None]
    if not known:
        return _ZERO
    low, high = min(known), max(known)
    if low < top / 2:
        return _ZERO
    floor = low - max(high - low, Decimal(5))
    floor = (floor / 5).to_integral_value(rounding="ROUND_FLOOR") * 5
    return floor if floor > top / 5 else _ZERO


def text_width(text: str, size: int = FONT) -> Decimal:
    """The drawn width of ``text`` at ``size`` (no font metrics on the server: a wide
    character one em, anything else 0.62 em, which is at least what system fonts use)."""
    ems = sum((Decimal(1) if ord(ch) >= 0x2E80 else Decimal("0.62") for ch in text), _ZERO)
    return ems * size


def fit(text: str, width: Decimal, size: int = FONT) -> str:
    """``text`` cut with "…" to fit ``width``."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _label_column(labels: Sequence[str]) -> Decimal:
    widest = max((text_width(str(label)) for label in labels), default=_ZERO)
    return min(widest, Decimal(LABEL_MAX)) + 10


def _svg(title: str, height: Decimal | int, body: list[str], summary: str = "") -> str:
    ident = f"chart-{next(_ids)}"
    label = f"{title}：{summary}" if summary else title
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {_c(Decimal(height))}" width="100%" '
        f'aria-label="{escape(label)}" aria-labelledby="{ident}" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}">'
        f'<title id="{ident}">{escape(label)}</title>' + "".join(body) + "</svg>"
    )


def _text(x, y, content: str, *, anchor: str = "start", fill: str = INK, extra: str = "") -> str:
    return (
        f'<text x="{_c(_dec(x))}" y="{_c(_dec(y))}" text-anchor="{anchor}" fill="{fill}"'
        f"{extra}>{escape(content)}</text>"
    )


def _legend(names: Sequence[str], top: Decimal) -> tuple[list[str], Decimal]:
    """Swatches with names, wrapped to the width; returns the markup and its height."""
    parts: list[str] = []
    x, y = Decimal(0), top
    for i, full in enumerate(names):
        name = fit(full, Decimal(WIDTH - 40))
        width = 16 + text_width(name)
        if x > 0 and x + width > WIDTH:
            x, y = Decimal(0), y + ROW_H
        colour = PALETTE[i % len(PALETTE)]
        parts.append(
            f'<rect x="{_c(x)}" y="{_c(y + 4)}" width="12" height="12" fill="{colour}"/>'
            + _text(x + 16, y + 14, name)
        )
        x += width + 12
    return parts, (y - top + ROW_H) if names else Decimal(0)


def _row_label(label: str, label_w: Decimal, y: Decimal) -> str:
    """A row's label, right-aligned against the bars, cut to the column with its full text
    kept in a ``<title>``."""
    shown = fit(label, label_w - 10)
    title = f"<title>{escape(label)}</title>" if shown != label else ""
    return (
        f'<text x="{_c(label_w - 6)}" y="{_c(y + 16)}" text-anchor="end" fill="{INK}">'
        f"{title}{escape(shown)}</text>"
    )


def _note(note: str, x: Decimal, y: Decimal) -> str:
    """A small muted line, e.g. that the value axis does not start at 0."""
    return _text(x, y, fit(note, Decimal(WIDTH) - x, 11), fill=MUTED, extra=' font-size="11"')


def _value_axis(nums: Sequence[Decimal], maximum, minimum) -> tuple[Decimal, Decimal]:
    """The value axis's (low, top) of a bar or line chart: ``maximum``, else a round number
    above the values (never 0); ``minimum`` when it is below the top, else 0."""
    top = _dec(maximum) if maximum is not None else nice_ceiling(max(nums, default=_ZERO))
    if top <= 0:
        top = Decimal(1)
    low = _dec(minimum) if minimum is not None else _ZERO
    if low >= top:
        low = _ZERO
    return low, top


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence,
    maximum=None,
    minimum=None,
    note: str = "",
    unit: str = "",
    places: int = 1,
) -> str:
    """Horizontal bars, one row per label (reads on a phone and in print). ``minimum``
    starts the value axis above 0 so close values stay apart; ``note`` (drawn under the
    bars) says so."""
    nums = [_dec(v) for v in values]
    low, top = _value_axis(nums, maximum, minimum)
    label_w = _label_column([str(label) for label in labels])
    span = Decimal(WIDTH) - label_w - VALUE_W
    body: list[str] = []
    for i, (label, value, raw) in enumerate(zip(labels, nums, values, strict=True)):
        y = Decimal(i * ROW_H)
        width = span * (min(max(value, low), top) - low) / (top - low)
        shown = "—" if raw is None else f"{number(value, places)}{unit}"
        body.append(
            _row_label(str(label), label_w, y)
            + f'<rect x="{_c(label_w)}" y="{_c(y + 5)}" width="{_c(span)}" height="{BAR_H}" '
            f'fill="{TRACK}"/>'
            + f'<rect x="{_c(label_w)}" y="{_c(y + 5)}" width="{_c(width)}" height="{BAR_H}" '
            f'fill="{PALETTE[0]}"><title>{escape(str(label))}：{escape(shown)}</title></rect>'
            + _text(label_w + span + 6, y + 16, shown)
        )
    height = Decimal(max(len(nums), 1) * ROW_H + 4)
    if note:
        body.append(_note(note, label_w, height + 10))
        height += 16
    summary = "；".join(
        f"{label} {'—' if raw is None else number(v, places) + unit}"
        for label, v, raw in zip(labels, nums, values, strict=True)
    )
    return _svg(title, height, body, summary)


def stacked_bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence]],
    unit: str = "",
    places: int = 1,
) -> str:
    """Horizontal bars split into the series' parts, with a legend under them."""
    rows = [[_dec(values[i]) for _, values in series] for i in range(len(labels))]
    totals = [sum(row, _ZERO) for row in rows]
    top = nice_ceiling(max(totals, default=_ZERO))
    label_w = _label_column([str(label) for label in labels])
    span = Decimal(WIDTH) - label_w - VALUE_W
    body: list[str] = []
    for i, (label, row, total) in enumerate(zip(labels, rows, totals, strict=True)):
        y = Decimal(i * ROW_H)
        x = label_w
        body.append(_row_label(str(label), label_w, y))
        for j, value in enumerate(row):
            if value <= 0:
                continue
            width = span * value / top
            name = series[j][0]
            body.append(
                f'<rect x="{_c(x)}" y="{_c(y + 5)}" width="{_c(width)}" height="{BAR_H}" '
                f'fill="{PALETTE[j % len(PALETTE)]}" stroke="#fff" stroke-width="0.5">'
                f"<title>{escape(str(label))} {escape(name)}：{number(value, places)}{unit}"
                "</title></rect>"
            )
            x += width
        body.append(_text(x + 6, y + 16, f"{number(total, places)}{unit}"))
    legend, legend_h = _legend([name for name, _ in series], Decimal(len(labels) * ROW_H + 6))
    body.extend(legend)
    summary = "；".join(
        f"{label} "
        + "、".join(
            f"{name} {number(v, places)}{unit}"
            for (name, _), v in zip(series, row, strict=True)
            if v > 0
        )
        for label, row in zip(labels, rows, strict=True)
        if any(v > 0 for v in row)
    )
    height = Decimal(len(labels) * ROW_H + 6) + legend_h
    return _svg(title, height, body, summary)


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence]],
    maximum=None,
    minimum=None,
    note: str = "",
    unit: str = "",
    places: int = 1,
) -> str:
    """Lines over the labels (months); ``None`` values leave a gap. ``minimum`` starts the
    value axis above 0 (its lowest grid line shows where, ``note`` says so)."""
    known = [_dec(v) for _, values in series for v in values if v is not None]
    low, top = _value_axis(known, maximum, minimum)
    ticks = [low + (top - low) * k / 5 for k in range(6)]
    tick_texts = [f"{number(v, 0 if v == v.to_integral() else 1)}{unit}" for v in ticks]
    left = max(text_width(t) for t in tick_texts) + 10
    edge = text_width(str(labels[-1])) / 2 + 4 if labels else Decimal(4)
    right, top_pad, plot_h = max(edge, Decimal(8)), Decimal(10), Decimal(180)
    plot_w = Decimal(WIDTH) - left - right
    n = max(len(labels), 1)
    step = plot_w / (n - 1) if n > 1 else _ZERO

    def x_of(i: int) -> Decimal:
        return left + step * i if n > 1 else left + plot_w / 2

    def y_of(v: Decimal) -> Decimal:
        return top_pad + plot_h - plot_h * (min(max(v, low), top) - low) / (top - low)

    body: list[str] = []
    for value, shown in zip(ticks, tick_texts, strict=True):  # grid lines with their values
        y = y_of(value)
        body.append(
            f'<line x1="{_c(left)}" y1="{_c(y)}" x2="{_c(left + plot_w)}" y2="{_c(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            + _text(left - 6, y + 4, shown, anchor="end", fill=MUTED)
        )
    for i, label in enumerate(labels):
        body.append(_text(x_of(i), top_pad + plot_h + 18, str(label), anchor="middle", fill=MUTED))
    for j, (name, values) in enumerate(series):
        colour = PALETTE[j % len(PALETTE)]
        segment: list[str] = []
        points: list[str] = []
        for i, raw in enumerate(values):
            if raw is None:
                if len(segment) > 1:
                    points.append(_polyline(segment, colour))
                segment = []
                continue
            x, y = x_of(i), y_of(_dec(raw))
            segment.append(f"{_c(x)},{_c(y)}")
            points.append(
                f'<circle cx="{_c(x)}" cy="{_c(y)}" r="3.5" fill="{colour}">'
                f"<title>{escape(name)} {escape(str(labels[i]))}：{number(raw, places)}{unit}"
                "</title></circle>"
            )
        if len(segment) > 1:
            points.append(_polyline(segment, colour))
        body.extend(points)
    legend_top = top_pad + plot_h + 28
    legend, legend_h = _legend([name for name, _ in series], legend_top)
    body.extend(legend)
    height = legend_top + legend_h
    if note:
        body.append(_note(note, Decimal(0), height + 10))
        height += 16
    summary = "；".join(
        f"{name} "
        + "、".join(
            f"{label} {number(v, places)}{unit}"
            for label, v in zip(labels, values, strict=True)
            if v is not None
        )
        for name, values in series
    )
    return _svg(title, height, body, summary)


def _polyline(points: list[str], colour: str) -> str:
    return (
        f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
        'stroke-width="2.5" stroke-linejoin="round"/>'
    )


def gauge(*, title: str, value, maximum, caption: str = "", places: int = 1) -> str:
    """A half-circle meter from 0 to ``maximum``; ``None`` draws an empty meter with a dash.

    The arc is one path with ``pathLength="100"`` and a dash as long as the share, so no
    trigonometry (and no float) is needed."""
    top = _dec(maximum) if _dec(maximum) > 0 else Decimal(1)
    share = _ZERO if value is None else min(max(_dec(value), _ZERO), top) * 100 / top
    shown = "—" if value is None else number(value, places)
    arc = "M 30 110 A 90 90 0 0 1 210 110"
    body = [
        f'<path d="{arc}" fill="none" stroke="{TRACK}" stroke-width="22"/>',
        f'<path d="{arc}" fill="none" stroke="{PALETTE[0]}" stroke-width="22" '
        f'pathLength="100" stroke-dasharray="{_c(share)} 100"/>',
        _text(120, 100, shown, anchor="middle", extra=' font-size="30" font-weight="700"'),
        _text(30, 132, "0", anchor="middle", fill=MUTED),
        _text(210, 132, number(top, places), anchor="middle", fill=MUTED),
    ]
    if caption:
        body.append(_text(120, 132, caption, anchor="middle", fill=MUTED))
    summary = f"{shown} / {number(top, places)}"
    ident = f"chart-{next(_ids)}"
    label = f"{title}：{summary}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart gauge" role="img" '
        f'viewBox="0 0 240 140" width="100%" aria-label="{escape(label)}" '
        f'aria-labelledby="{ident}" font-family="system-ui, sans-serif" font-size="{FONT}">'
        f'<title id="{ident}">{escape(label)}</title>' + "".join(body) + "</svg>"
    )
