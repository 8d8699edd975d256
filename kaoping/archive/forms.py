from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.kit.forms import DateInput, Picker
from kaoping.orgs.models import Member, Organization
from kaoping.schemes.forms import item_picker

from .models import MemberProfile


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=100)
    membership = forms.ChoiceField(label=_("党员类别"), choices=Member.Membership.choices)
    gender = forms.ChoiceField(
        label=_("性别"), choices=[("", "—"), *MemberProfile.Gender.choices], required=False
    )
    ethnicity = forms.CharField(label=_("民族"), max_length=32, required=False)
    birth_date = forms.DateField(label=_("出生日期"), required=False, widget=DateInput())
    id_number = forms.CharField(label=_("公民身份号码"), max_length=18, required=False)
    education = forms.CharField(label=_("学历"), max_length=32, required=False)
    native_place = forms.CharField(label=_("籍贯"), max_length=100, required=False)
    joined_on = forms.DateField(label=_("入党日期"), required=False, widget=DateInput())
    full_member_on = forms.DateField(label=_("转正日期"), required=False, widget=DateInput())
    job = forms.CharField(label=_("工作岗位"), max_length=200, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)


class TransferForm(forms.Form):
    to_branch = forms.ModelChoiceField(
        label=_("转入支部"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("（本系统以外的单位）"),
        widget=Picker,
        help_text=_("转往本系统以外的单位时留空，并填写转往单位。"),
    )
    destination = forms.CharField(label=_("转往单位"), max_length=200, required=False)
    date = forms.DateField(label=_("转接日期"), widget=DateInput())
    reason = forms.CharField(label=_("转接原因"), widget=forms.Textarea(attrs={"rows": 2}))
    # Its page (``%(name)s``: the member's name), its button and what it says when done.
    page = (_("组织关系转接：%(name)s"), _("转接"), _("已办理 %(name)s 的组织关系转接。"))

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].queryset = branches
        self.fields["to_branch"].label_from_instance = lambda b: f"{b.name}（{b.code}）"


class LostContactForm(forms.Form):
    since = forms.DateField(label=_("失联日期"), widget=DateInput())
    efforts = forms.CharField(label=_("查找情况"), widget=forms.Textarea(attrs={"rows": 2}))
    page = (_("标记失联：%(name)s"), _("标记失联"), _("已将 %(name)s 标记为失联党员。"))


class FoundForm(forms.Form):
    found_on = forms.DateField(label=_("恢复联系日期"), widget=DateInput())
    note = forms.CharField(
        label=_("恢复联系情况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    page = (_("恢复联系：%(name)s"), _("记录"), _("已记录 %(name)s 恢复联系。"))


class InvestigationStartForm(forms.Form):
    body = forms.CharField(label=_("调查机关"), max_length=200)
    started_on = forms.DateField(label=_("开始调查日期"), widget=DateInput())
    page = (
        _("接受调查（暂不纳入）：%(name)s"),
        _("记录"),
        _("%(name)s 已暂不纳入考评（接受调查）。"),
    )


class InvestigationDecideForm(forms.Form):
    decided_on = forms.DateField(label=_("结论日期"), widget=DateInput())
    decision = forms.CharField(label=_("调查结论"), widget=forms.Textarea(attrs={"rows": 2}))
    page = (
        _("调查结论：%(name)s"),
        _("记录结论"),
        _("已记录调查结论，%(name)s 按同一规则参加本年度考评。"),
    )


class ExemptionForm(forms.Form):
    item = item_picker(label=_("免于考评的指标"))
    reason = forms.CharField(
        label=_("理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例如：身体原因，经本人申请、支委会研究同意。"),
    )
    starts_on = forms.DateField(label=_("免考起始日期"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("免考截止日期"),
        required=False,
        widget=DateInput(),
        help_text=_("留空表示长期免考，直到取消。"),
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["item"].label_from_instance = lambda i: f"{i.code} {i.name}"


class ImportForm(forms.Form):
    file = forms.FileField(label=_("名册文件（xlsx）"))

    def clean_file(self):
        from kaoping.jobs.imports import upload_clean

        return upload_clean(self.cleaned_data["file"])
