from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.kit.forms import PickerField, PickerMultiple
from kaoping.orgs.models import Organization
from kaoping.schemes.forms import item_picker

from .models import Inspection


class GroupForm(forms.Form):
    name = forms.CharField(label=_("督查组名称"), max_length=200)
    users = forms.ModelMultipleChoiceField(label=_("组员"), queryset=None, widget=PickerMultiple)
    organizations = forms.ModelMultipleChoiceField(
        label=_("督查对象"), queryset=Organization.objects.order_by("path"), widget=PickerMultiple
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = users


class InspectionForm(forms.Form):
    organization = PickerField(label=_("单位"), queryset=None)
    date = forms.DateField(label=_("督查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("督查方式"), choices=Inspection.Method.choices)
    findings = forms.CharField(label=_("督查情况"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class FindingForm(forms.Form):
    member = PickerField(label=_("党员"), queryset=None)
    item = item_picker(label=_("扣分指标"))
    evidence_text = forms.CharField(
        label=_("问题及佐证说明"), widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_file = forms.FileField(
        label=_("佐证文件"),
        required=False,
        help_text=_("PDF、JPG、PNG、DOCX 或 XLSX，不超过 10 MB。"),
    )

    def __init__(self, *args, members, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: f"{m.name}（{m.code}）"
        self.fields["item"].queryset = items
        self.fields["item"].label_from_instance = lambda i: f"{i.code} {i.name}"


class GroupMemberForm(forms.Form):
    person = forms.CharField(
        label=_("人员"),
        max_length=150,
        help_text=_("用户名或党员编号；加入即获得专项督查组成员角色"),
    )
