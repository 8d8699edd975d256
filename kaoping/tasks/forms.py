from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.kit.choices import GivenMembersForm
from kaoping.kit.forms import CheckboxColumns, DateTimeInput
from kaoping.orgs.models import Member

from .models import Assignment, TaskKind


class TaskForm(GivenMembersForm):
    kind = forms.ChoiceField(label=_("任务类型"), choices=TaskKind.choices)
    title = forms.CharField(label=_("任务"), max_length=300)
    description = forms.CharField(
        label=_("要求"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_at = forms.DateTimeField(
        label=_("截止时间"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    members = forms.ModelMultipleChoiceField(
        label=_("承担党员"), queryset=Member.objects.none(), widget=CheckboxColumns
    )


class SubmitForm(forms.Form):
    text = forms.CharField(
        label=_("心得体会 / 学习笔记"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    file = forms.FileField(
        label=_("附件"), required=False, help_text=_("PDF、JPG、PNG、DOCX 或 XLSX，不超过 10 MB。")
    )


class MarkForm(forms.Form):
    member = forms.CharField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("完成情况"),
        choices=[
            (Assignment.Status.EXCUSED, _("准予免交")),
            (Assignment.Status.DONE, _("已完成")),
            (Assignment.Status.NOT_DONE, _("未完成")),
        ],
    )
    reason = forms.CharField(label=_("理由"), required=False)
