"""Labels for the dashboards' templates."""

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
