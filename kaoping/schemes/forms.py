"""Forms of the scheme's settings, shared by the scheme page (web) and the planning drafts,
so the two cannot drift apart."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kaoping.kit.forms import PickerField

from .models import BALLOT_OPTION_NAMES, SETTING_FIELDS, Scheme, SchemeItem

# The template's item groups (kaoping/schemes/template.py GROUP_NAMES), translatable.
GROUP_LABELS = {
    "obligations": _("履行党员基本义务"),
    "duties": _("履行岗位职责"),
    "other": _("其它扣分项目"),
    "awards": _("各级工作性奖励"),
    "activities": _("参加党组织活动获奖"),
    "volunteer": _("党员志愿服务活动"),
    "products": _("履职成果采用及获批示"),
}

BALLOT_LABELS = {
    "excellent": _("优秀"),
    "qualified": _("合格"),
    "basic": _("基本合格"),
    "unqualified": _("不合格"),
}


def item_group(item: SchemeItem) -> str:
    """An item's group in a picker: its kind and its group, e.g. "扣分 · 履行党员基本义务"."""
    kind = item.get_kind_display()
    if not item.group:
        return str(kind)
    return f"{kind} · {GROUP_LABELS.get(item.group, item.group)}"


def item_picker(**kwargs) -> PickerField:
    """The one picker of a scheme item (考评指标): searchable, grouped by kind and group;
    the form sets its queryset."""
    kwargs.setdefault("label", _("考评指标"))
    return PickerField(queryset=SchemeItem.objects.none(), group_by=item_group, **kwargs)


PERCENT_FIELDS = ("democratic_share", "excellent_quota", "vote_min_turnout")
# The settings the form shows as they are kept (the shares above are shown in %, the
# ballot options one field each).
PLAIN_FIELDS = tuple(f for f in SETTING_FIELDS if f not in (*PERCENT_FIELDS, "ballot_options"))


def plain_decimal(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and never in exponent form (30, not 3E+1), as a
    form shows it."""
    return Decimal(format(value.normalize(), "f"))


class SchemeSettingsForm(forms.Form):
    base_points = forms.DecimalField(label=_("基础分"), min_value=0, decimal_places=2)
    bonus_cap = forms.DecimalField(label=_("加分上限"), min_value=0, decimal_places=2)
    democratic_share = forms.DecimalField(
        label=_("民主测评占比（%）"), min_value=0, max_value=100, decimal_places=2
    )
    excellent_threshold = forms.DecimalField(label=_("优秀分数线"), decimal_places=2)
    qualified_threshold = forms.DecimalField(label=_("合格分数线"), decimal_places=2)
    basic_threshold = forms.DecimalField(label=_("基本合格分数线"), decimal_places=2)
    excellent_quota = forms.DecimalField(
        label=_("优秀比例（%）"), min_value=0, max_value=100, decimal_places=2
    )
    quota_rounding = forms.ChoiceField(
        label=_("名额取整方式"), choices=Scheme.QuotaRounding.choices
    )
    notice_days = forms.IntegerField(label=_("公示天数"), min_value=0, max_value=365)
    vote_min_turnout = forms.DecimalField(
        label=_("民主测评最低投票率（%）"), min_value=0, max_value=100, decimal_places=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for option in BALLOT_OPTION_NAMES:
            self.fields[f"ballot_{option}"] = forms.DecimalField(
                label=_("测评选项“%(option)s”分值") % {"option": BALLOT_LABELS[option]},
                min_value=0,
                max_value=100,
                decimal_places=2,
            )

    @classmethod
    def initial_for(cls, scheme: Scheme) -> dict:
        initial = {f: getattr(scheme, f) for f in PLAIN_FIELDS}
        for f in PERCENT_FIELDS:
            initial[f] = plain_decimal(getattr(scheme, f) * 100)
        for option, value in scheme.ballot_options.items():
            initial[f"ballot_{option}"] = value
        return initial

    def clean(self):
        data = super().clean()
        e, q, b = (data.get(f"{k}_threshold") for k in ("excellent", "qualified", "basic"))
        if None not in (e, q, b) and not (b <= q <= e):
            raise ValidationError(_("分数线须满足：基本合格 ≤ 合格 ≤ 优秀。"))
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {f: data[f] for f in PLAIN_FIELDS}
        for f in PERCENT_FIELDS:
            changes[f] = data[f] / 100
        changes["ballot_options"] = {o: str(data[f"ballot_{o}"]) for o in BALLOT_OPTION_NAMES}
        return changes
