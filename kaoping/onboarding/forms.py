from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import CODE_MAX, TITLE_MAX
from kaoping.orgs.models import Organization


class CommitteeForm(forms.Form):
    code = forms.CharField(label=_("代码"), max_length=CODE_MAX, initial="W")
    name = forms.CharField(label=_("名称"), max_length=TITLE_MAX, initial=_("机关工委"))


class BranchForm(forms.Form):
    code = forms.CharField(label=_("代码"), max_length=CODE_MAX)
    name = forms.CharField(label=_("名称"), max_length=TITLE_MAX)
    category = forms.ChoiceField(
        label=_("支部类别"),
        choices=Organization.Category.choices,
        initial=Organization.Category.IN_SERVICE,
    )


class SchemeForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
