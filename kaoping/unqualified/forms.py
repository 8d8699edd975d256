from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.kit.forms import CheckboxColumns, DateInput, PickerField

from .models import CaseHandling, Condition, UnqualifiedCase, VoteBasis


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


FILES_HELP = _("PDF、JPG、PNG、DOCX 或 XLSX，每个不超过 10 MB，可多选。")


class ProposeForm(forms.Form):
    member = PickerField(label=_("党员"), queryset=None)
    condition = forms.ChoiceField(label=_("情形"), choices=Condition.choices)
    facts = forms.CharField(
        label=_("事实"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    files = MultipleFileField(label=_("证据材料"), required=False, help_text=FILES_HELP)
    notify = forms.MultipleChoiceField(
        label=_("告知党员的环节"),
        choices=UnqualifiedCase.Notice.choices,
        required=False,
        widget=CheckboxColumns,
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: f"{m.name}（{m.code}）"


class ReviewForm(forms.Form):
    body = forms.ChoiceField(label=_("以何机构名义"), choices=())
    decision = forms.ChoiceField(
        label=_("意见"), choices=[("approve", _("同意"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("意见或理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("退回或不予批准时必须填写。"),
    )

    def __init__(self, *args, bodies, no_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = bodies
        if len(bodies) == 1:  # the usual case: one body, nothing to choose
            self.fields["body"].required = False
            self.fields["body"].widget = forms.HiddenInput()
            self.single_body = bodies[0][0]
        else:
            self.single_body = None
        self.fields["decision"].choices = [("approve", _("同意")), ("no", no_label)]

    def clean_body(self):
        return self.cleaned_data.get("body") or self.single_body


class ResubmitForm(forms.Form):
    facts = forms.CharField(
        label=_("事实（修改后）"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    files = MultipleFileField(label=_("补充证据材料"), required=False, help_text=FILES_HELP)


class VoteForm(forms.Form):
    held_on = forms.DateField(label=_("党员大会日期"), widget=DateInput())
    entitled = forms.IntegerField(label=_("应到会有表决权党员"), min_value=0)
    present = forms.IntegerField(label=_("到会有表决权党员"), min_value=0)
    in_favour = forms.IntegerField(label=_("赞成"), min_value=0)
    against = forms.IntegerField(label=_("反对"), min_value=0)
    abstaining = forms.IntegerField(label=_("弃权"), min_value=0)


class HandlingForm(forms.Form):
    kind = forms.ChoiceField(label=_("处理方式"), choices=CaseHandling.Kind.choices)
    decided_on = forms.DateField(label=_("决定日期"), widget=DateInput())
    due_on = forms.DateField(
        label=_("改正期限"), required=False, widget=DateInput(), help_text=_("限期改正时必填。")
    )
    completed_on = forms.DateField(label=_("办结日期"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("排除理由"), max_length=2000)


class SettingsForm(forms.Form):
    vote_basis = forms.ChoiceField(label=_("表决通过规则"), choices=VoteBasis.choices)
    absence_months = forms.IntegerField(
        label=_("连续未参加组织生活月数"), min_value=1, max_value=24
    )
    dues_months = forms.IntegerField(
        label=_("党费未交或未足额月数（年内）"), min_value=1, max_value=12
    )
