from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.kit.forms import DateTimeInput, decision_form
from kaoping.orgs.models import Member

from .models import MeetingKind


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    place = forms.CharField(label=_("地点"), max_length=200)
    topic = forms.CharField(label=_("议题"), max_length=300)
    members = forms.ModelMultipleChoiceField(
        label=_("应到党员"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = lambda m: m.name


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class LeaveForm(forms.Form):
    reason = forms.CharField(label=_("请假事由"), widget=forms.Textarea(attrs={"rows": 2}))


DecisionForm = decision_form(
    label=_("审批"),
    approve=_("批准"),
    refuse=_("不批准"),
    reason_label=_("审批意见"),
    reason_help=_("不批准时必须填写。"),
)
