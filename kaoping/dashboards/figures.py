"""The dashboards' charts, made from the selectors' numbers (no queries here).

Each chart is a ``Chart``: the server-drawn SVG (printed, and shown without JavaScript)
and the same numbers as data for ECharts (``web/static/web/charts.js``), which the page
carries in a ``json_script``. A ``Chart`` renders as its SVG, so the printable pages put
``{{ charts.x }}`` where they want the static drawing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kaoping.evaluation.models import EvaluationRound

from . import charts
from .selectors import GRADES, MONTHS

ZOOM_FROM = 12  # a category axis with more labels than this gets a zoom (long branch lists)

# The evaluation's stages as the dashboards name them (a branch's progress).
STAGE_LABELS = {
    "none": _lazy("未开始"),
    **{str(k): v for k, v in EvaluationRound.Step.choices},
    "published": _lazy("已公示"),
    "final": _lazy("已定格"),
}


def stage_label(value) -> str:
    return str(STAGE_LABELS.get(str(value), value))


@dataclass
class Chart:
    """One chart of a page: ``id`` names its ``json_script``; ``data`` is what ECharts
    draws; ``svg`` the static drawing of the same numbers."""

    id: str
    svg: SafeString
    data: dict = field(default_factory=dict)

    def __html__(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg


def _num(value) -> str | None:
    """A number for the page's JSON: a string (Decimal keeps its digits), None stays."""
    return None if value is None else str(value)


def _chart(ident: str, svg: str, **data) -> Chart:
    series = [
        {"name": str(name), "values": [_num(v) for v in values]}
        for name, values in data.pop("series", [])
    ]
    labels = [str(label) for label in data.get("labels", [])]
    payload = {
        "kind": "bar",
        "unit": "",
        "places": 1,
        "min": None,
        "max": None,
        "note": "",
        **data,
        "labels": labels,
        "series": series,
        "zoom": len(labels) > ZOOM_FROM,
    }
    for key in ("min", "max", "value"):
        if key in payload and not isinstance(payload[key], str | type(None)):
            payload[key] = _num(payload[key])
    return Chart(
        id=f"chart-{ident}",
        svg=mark_safe(svg),  # noqa: S308 - charts.py escapes every text it draws
        data=payload,
    )


def month_labels() -> list[str]:
    return [_("%(month)s月") % {"month": m} for m in MONTHS]


def grade_names() -> dict[str, str]:
    from kaoping.scoring.models import Grade as GradeChoices

    return {str(value): str(label) for value, label in GradeChoices.choices}


def floor_note(floor: Decimal, unit: str = "%") -> str:
    """What the axis says when it does not start at 0."""
    if not floor:
        return ""
    return _("坐标轴自 %(floor)s%(unit)s 起，以便看清差别") % {
        "floor": charts.number(floor, 0),
        "unit": unit,
    }


def rate_bars(ident: str, *, title: str, labels: Sequence[str], values: Sequence) -> Chart:
    """Rates (%) by label on an axis that starts where the values begin to differ."""
    return rate_chart(ident, kind="bar", title=title, labels=labels, series=[(title, values)])


def rate_chart(
    ident: str, *, kind: str, title: str, labels: Sequence[str], series: list[tuple[str, Sequence]]
) -> Chart:
    """Rates (%) as bars (one series) or lines, on an axis from 100 % down to where the
    values begin to differ; the SVG for print and the data for ECharts agree."""
    values = [v for _name, vs in series for v in vs]
    floor = charts.axis_floor(values)
    note = floor_note(floor)
    if kind == "bar":
        svg = charts.bar_chart(
            title=title,
            labels=labels,
            values=series[0][1],
            maximum=100,
            minimum=floor,
            note=note,
            unit="%",
        )
    else:
        svg = charts.line_chart(
            title=title,
            labels=labels,
            series=series,
            maximum=100,
            minimum=floor,
            note=note,
            unit="%",
        )
    return _chart(
        ident,
        svg,
        kind=kind,
        title=title,
        labels=labels,
        series=series,
        unit="%",
        min=floor,
        max=Decimal(100),
        note=note,
    )


def _gauge(ident: str, *, title: str, value, maximum) -> Chart:
    return _chart(
        ident,
        charts.gauge(title=title, value=value, maximum=maximum),
        kind="gauge",
        title=title,
        value=value,
        max=maximum,
    )


def member_figures(data: dict, scheme) -> dict:
    result = data.get("result")
    if result is None:
        return {}
    labels = month_labels()
    series = [
        (_("累计扣分"), data["cumulative_deductions"]),
        (_("累计加分"), data["cumulative_bonus"]),
    ]
    title = _("台账累计扣分与加分（按月）")
    return {
        "daily": _gauge(
            "daily", title=_("日常考评得分"), value=result.daily, maximum=data["daily_max"]
        ),
        "democratic": _gauge(
            "democratic",
            title=_("民主测评百分数"),
            value=result.democratic_pct,
            maximum=Decimal(100),
        ),
        "composite": _gauge(
            "composite",
            title=_("综合得分"),
            value=result.composite,
            maximum=data["composite_max"],
        ),
        "cap": _gauge(
            "cap", title=_("加分上限已用"), value=data["bonus_counted"], maximum=scheme.bonus_cap
        ),
        "timeline": _chart(
            "timeline",
            charts.line_chart(title=title, labels=labels, series=series),
            kind="line",
            title=title,
            labels=labels,
            series=series,
        ),
    }


def branch_figures(data: dict) -> dict:
    if "ranking" not in data:
        return {}
    ranked = data["ranked"]
    figures: dict = {"ranking": "", "attendance": "", "dues": ""}
    if ranked:
        title = _("支部排名（综合得分）")
        labels = [
            f"{row['result'].rank or '—'}. "
            f"{row['member'].name if row['member'] else row['result'].member}"
            for row in ranked
        ]
        values = [row["result"].composite for row in ranked]
        figures["ranking"] = _chart(
            "ranking",
            charts.bar_chart(title=title, labels=labels, values=values),
            title=title,
            labels=labels,
            series=[(_("综合得分"), values)],
        )
    title = _("扣分（按指标和月份）")
    labels = month_labels()
    figures["deductions"] = _chart(
        "deductions",
        charts.stacked_bar_chart(title=title, labels=labels, series=data["deductions"]["series"]),
        kind="stacked",
        title=title,
        labels=labels,
        series=data["deductions"]["series"],
    )
    rates = data["attendance_rates"]
    if any(rate is not None for rate in rates):
        figures["attendance"] = rate_chart(
            "attendance",
            kind="line",
            title=_("会议出席率（按月）"),
            labels=labels,
            series=[(_("出席率"), rates)],
        )
    if any(row["tally"].due for row in data["dues"]):
        figures["dues"] = rate_bars(
            "dues",
            title=_("按时足额交纳党费的比例（按月）"),
            labels=[_("%(month)s月") % {"month": row["month"]} for row in data["dues"]],
            values=[row["tally"].rate for row in data["dues"]],
        )
    return figures


def grade_series(rows: list[dict]) -> list[tuple[str, list[Decimal]]]:
    """The grades given in ``rows`` (a committee row each), one series per grade."""
    names = grade_names()
    return [
        (names[str(g)], [Decimal(row["grades"].get(str(g), 0)) for row in rows])
        for g in GRADES
        if any(row["grades"].get(str(g)) for row in rows)
    ]


def progress_bars(ident: str, rows: list[dict], labels: list[str], *, svg: bool = True) -> Chart:
    title = _("各支部评议进度（共 7 步）")
    values = [row["stage_index"] for row in rows]
    return _chart(
        ident,
        charts.bar_chart(title=title, labels=labels, values=values, maximum=7, places=0)
        if svg
        else "",
        title=title,
        labels=labels,
        series=[(_("评议进度"), values)],
        places=0,
        max=7,
        stages=[stage_label(row["stage"]) for row in rows],
    )


def committee_figures(data: dict) -> dict:
    rows = [row for row in data["rows"] if "average" in row]
    if not rows:
        return {}
    labels = [row["branch"].name for row in rows]
    title = _("各支部平均综合得分")
    averages = [row["average"] for row in rows]
    grades_title = _("各支部等次分布（人数）")
    grades = grade_series(rows)
    figures = {
        "average": _chart(
            "average",
            charts.bar_chart(title=title, labels=labels, values=averages),
            title=title,
            labels=labels,
            series=[(_("平均综合得分"), averages)],
        ),
        "grades": _chart(
            "grades",
            charts.stacked_bar_chart(title=grades_title, labels=labels, series=grades, places=0),
            kind="stacked",
            title=grades_title,
            labels=labels,
            series=grades,
            places=0,
        ),
        "attendance": "",
        "dues": "",
        "progress": progress_bars("progress", rows, labels),
    }
    attendance = [row["attendance"].get("rate") for row in rows]
    if any(rate is not None for rate in attendance):
        figures["attendance"] = rate_bars(
            "attendance", title=_("各支部会议出席率"), labels=labels, values=attendance
        )
    if any(row["dues"].due for row in rows):
        figures["dues"] = rate_bars(
            "dues",
            title=_("各支部按时足额交纳党费的比例"),
            labels=labels,
            values=[row["dues"].rate for row in rows],
        )
    return figures


def table_of(chart: Chart) -> dict:
    """The numbers of ``chart`` as a table: a row per label, a column per series."""
    data = chart.data
    places, unit = int(data.get("places", 1)), data.get("unit", "")

    def shown(value) -> str:
        return "—" if value is None else f"{charts.number(Decimal(value), places)}{unit}"

    if data.get("kind") == "gauge":
        return {
            "columns": [_("数值"), _("满值")],
            "rows": [(data["title"], [shown(data.get("value")), shown(data.get("max"))])],
        }
    series = data["series"]
    rows = [
        (label, [shown(s["values"][i]) for s in series]) for i, label in enumerate(data["labels"])
    ]
    if data.get("stages"):
        rows = [
            (label, [*cells, stage])
            for (label, cells), stage in zip(rows, data["stages"], strict=True)
        ]
        return {"columns": [*(s["name"] for s in series), _("环节")], "rows": rows}
    return {"columns": [s["name"] for s in series], "rows": rows}


def screen_figures(data: dict) -> dict:
    """The big screen's charts (ECharts only: the screen is not printed; its tables are
    what shows without JavaScript)."""
    rows = [row for row in data["rows"] if "average" in row]
    names = grade_names()
    title = _("等次分布（人数）")
    grade_labels = [names[g] for g, _n in data["grade_totals"]]
    figures: dict = {
        "grades": _chart(
            "screen-grades",
            "",
            kind="pie",
            title=title,
            labels=grade_labels,
            series=[(_("人数"), [n for _g, n in data["grade_totals"]])],
            places=0,
        )
        if data["grade_totals"]
        else "",
        "warnings": _chart(
            "screen-warnings",
            "",
            title=_("预警（按类别）"),
            labels=[label for label, _n in data["warnings"]],
            series=[(_("预警数"), [n for _label, n in data["warnings"]])],
            places=0,
        ),
        "rates": "",
        "progress": "",
    }
    if not rows:
        return figures
    labels = [row["branch"].name for row in rows]
    attendance = [row["attendance"].get("rate") for row in rows]
    dues = [row["dues"].rate for row in rows]
    floor = charts.axis_floor([*attendance, *dues])
    figures["rates"] = _chart(
        "screen-rates",
        "",
        title=_("各支部出席率与党费按时足额比例"),
        labels=labels,
        series=[(_("会议出席率"), attendance), (_("党费按时足额"), dues)],
        unit="%",
        min=floor,
        max=Decimal(100),
        note=floor_note(floor),
    )
    figures["progress"] = progress_bars("screen-progress", rows, labels, svg=False)
    return figures
