"""The dashboards' charts, made from the selectors' numbers (no queries here)."""

from decimal import Decimal

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import charts
from .selectors import GRADES, MONTHS


def month_labels() -> list[str]:
    return [_("%(month)s月") % {"month": m} for m in MONTHS]


def grade_names() -> dict[str, str]:
    from kaoping.scoring.models import Grade as GradeChoices

    return {str(value): str(label) for value, label in GradeChoices.choices}


def _safe(svg: str) -> str:
    return mark_safe(svg)  # noqa: S308 - charts.py escapes every text it draws


def member_figures(data: dict, scheme) -> dict:
    result = data.get("result")
    if result is None:
        return {}
    return {
        "daily": _safe(
            charts.gauge(title=_("日常考评得分"), value=result.daily, maximum=data["daily_max"])
        ),
        "democratic": _safe(
            charts.gauge(
                title=_("民主测评百分数"), value=result.democratic_pct, maximum=Decimal(100)
            )
        ),
        "composite": _safe(
            charts.gauge(title=_("综合得分"), value=result.composite, maximum=data["composite_max"])
        ),
        "cap": _safe(
            charts.gauge(
                title=_("加分上限已用"), value=data["bonus_counted"], maximum=scheme.bonus_cap
            )
        ),
        "timeline": _safe(
            charts.line_chart(
                title=_("台账累计扣分与加分（按月）"),
                labels=month_labels(),
                series=[
                    (_("累计扣分"), data["cumulative_deductions"]),
                    (_("累计加分"), data["cumulative_bonus"]),
                ],
            )
        ),
    }


def branch_figures(data: dict) -> dict:
    if "ranking" not in data:
        return {}
    ranked = data["ranked"]
    return {
        "ranking": _safe(
            charts.bar_chart(
                title=_("支部排名（综合得分）"),
                labels=[
                    f"{row['result'].rank or '—'}. "
                    f"{row['member'].name if row['member'] else row['result'].member}"
                    for row in ranked
                ],
                values=[row["result"].composite for row in ranked],
            )
        )
        if ranked
        else "",
        "deductions": _safe(
            charts.stacked_bar_chart(
                title=_("扣分（按指标和月份）"),
                labels=month_labels(),
                series=data["deductions"]["series"],
            )
        ),
        "attendance": _safe(
            charts.line_chart(
                title=_("会议出席率（按月）"),
                labels=month_labels(),
                series=[(_("出席率"), data["attendance_rates"])],
                maximum=100,
                unit="%",
            )
        )
        if any(rate is not None for rate in data["attendance_rates"])
        else "",
        "dues": _safe(
            charts.bar_chart(
                title=_("按时足额交纳党费的比例（按月）"),
                labels=[_("%(month)s月") % {"month": row["month"]} for row in data["dues"]],
                values=[row["tally"].rate for row in data["dues"]],
                maximum=100,
                unit="%",
            )
        )
        if any(row["tally"].due for row in data["dues"])
        else "",
    }


def committee_figures(data: dict) -> dict:
    rows = [row for row in data["rows"] if "average" in row]
    if not rows:
        return {}
    names = grade_names()
    labels = [row["branch"].name for row in rows]
    return {
        "average": _safe(
            charts.bar_chart(
                title=_("各支部平均综合得分"),
                labels=labels,
                values=[row["average"] for row in rows],
            )
        ),
        "grades": _safe(
            charts.stacked_bar_chart(
                title=_("各支部等次分布（人数）"),
                labels=labels,
                series=[
                    (names[str(g)], [Decimal(row["grades"].get(str(g), 0)) for row in rows])
                    for g in GRADES
                    if any(row["grades"].get(str(g)) for row in rows)
                ],
                places=0,
            )
        ),
        "attendance": _safe(
            charts.bar_chart(
                title=_("各支部会议出席率"),
                labels=labels,
                values=[row["attendance"].get("rate") for row in rows],
                maximum=100,
                unit="%",
            )
        )
        if any(row["attendance"].get("rate") is not None for row in rows)
        else "",
        "dues": _safe(
            charts.bar_chart(
                title=_("各支部按时足额交纳党费的比例"),
                labels=labels,
                values=[row["dues"].rate for row in rows],
                maximum=100,
                unit="%",
            )
        )
        if any(row["dues"].due for row in rows)
        else "",
        "progress": _safe(
            charts.bar_chart(
                title=_("各支部评议进度（共 7 步）"),
                labels=labels,
                values=[row["stage_index"] for row in rows],
                maximum=7,
                places=0,
            )
        ),
    }
