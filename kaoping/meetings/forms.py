import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.kit.choices import GivenMembersForm
from kaoping.kit.forms import CheckboxColumns, DateTimeInput, decision_form
from kaoping.kit.text import NOTE_MAX
from kaoping.orgs.models import Member

from .models import MeetingKind

START_HOUR = datetime.time(9, 0)


def default_start(now: datetime.datetime) -> datetime.datetime:
    """A new meeting's proposed start: the next working day (Monday to Friday) after
    ``now``'s local date, at 09:00 local time."""
    day = timezone.localtime(now).date() + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, START_HOUR))


class MeetingForm(GivenMembersForm):
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    place = forms.CharField(label=_("地点"), max_length=200)
    topic = forms.CharField(label=_("议题"), max_length=300)
    members = forms.ModelMultipleChoiceField(
        label=_("应到党员"),
        queryset=Member.objects.none(),
        widget=CheckboxColumns,
    )


class MeetingChangeForm(forms.Form):
    """A meeting's time, place and topic changed (会议变更); its kind and attendees stay."""

    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    place = forms.CharField(label=_("地点"), max_length=200)
    topic = forms.CharField(label=_("议题"), max_length=300)


class MeetingMinutesForm(forms.Form):
    """会议记录: the chair, the recorder and the minutes."""

    host = forms.CharField(label=_("主持人"), max_length=50, required=False)
    recorder = forms.CharField(label=_("记录人"), max_length=50, required=False)
    minutes = forms.CharField(
        label=_("会议记录"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("会议的主要内容、发言和决定事项。"),
    )


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
