"""Forms of the planning pages; the settings form is the scheme page's own
(``kaoping.schemes.forms.SchemeSettingsForm``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.orgs.models import Organization
from kaoping.schemes.forms import plain_decimal
from kaoping.schemes.models import Scheme


class DraftCreateForm(forms.Form):
    base = forms.ModelChoiceField(label=_("在哪个年度上模拟"), queryset=Scheme.objects.none())
    year = forms.IntegerField(label=_("草案年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("名称"), max_length=200, required=False)
    branch = forms.ModelChoiceField(
        label=_("范围"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args, schemes, branches, whole_organisation: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base"].queryset = schemes
        self.fields["base"].label_from_instance = lambda s: (
            _("%(year)s 年度（本年台账与测评）") % {"year": s.year}
        )
        branch = self.fields["branch"]
        branch.queryset = branches
        branch.label_from_instance = lambda o: f"{o.code} {o.name}"
        if whole_organisation:
            branch.empty_label = _("整个组织（全部支部）")
        else:
            branch.required = True
            branch.empty_label = None
            branch.error_messages["required"] = _("请选择要模拟的支部。")


class DraftItemsForm(forms.Form):
    """One points field per item of the draft (``points_<code>``)."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"points_{item.code}"] = forms.DecimalField(
                label=f"{item.code} {item.name}",
                min_value=0,
                decimal_places=4,
                initial=plain_decimal(item.points),
                error_messages={"min_value": _("分值不能为负数。")},
            )

    def points(self) -> dict:
        return {i.code: self.cleaned_data[f"points_{i.code}"] for i in self.items}

    def rows(self):
        """(item, bound field) for the table."""
        return [(i, self[f"points_{i.code}"]) for i in self.items]
