"""Labels and charts for the dashboards' templates."""

from django import template
from django.utils.translation import gettext_lazy as _

from kaoping.evaluation.models import EvaluationRound

register = template.Library()

STAGE_LABELS = {
    "none": _("未开始"),
    **{str(k): v for k, v in EvaluationRound.Step.choices},
    "published": _("已公示"),
    "final": _("已定格"),
}


@register.filter
def stage_label(value) -> str:
    return str(STAGE_LABELS.get(str(value), value))


@register.inclusion_tag("dashboards/_chart.html")
def chart(figure, table: bool = True, caption: str = "", open: bool = False) -> dict:  # noqa: A002
    """A chart (``figures.Chart``): the box ECharts fills, the static SVG (print, no
    JavaScript), its data in a ``json_script``, and unless ``table=False`` (the page has
    its own) the numbers as a table in a ``<details>`` (``open``: shown at first);
    ``caption`` names it above."""
    from kaoping.dashboards.figures import table_of

    if not figure:
        return {"chart": None}
    return {
        "chart": figure,
        "table": table_of(figure) if table else None,
        "caption": caption,
        "open": open,
    }
