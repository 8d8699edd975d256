from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.kit.decimals import points_text
from kaoping.kit.forms import DateInput
from kaoping.schemes.forms import item_picker


class ClaimForm(forms.Form):
    item = item_picker(label=_("加分项目"))
    date = forms.DateField(label=_("日期"), widget=DateInput())
    description = forms.CharField(
        label=_("申报事项"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    proof_text = forms.CharField(
        label=_("佐证说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    proof_file = forms.FileField(
        label=_("佐证文件"),
        required=False,
        help_text=_("PDF、JPG、PNG、DOCX 或 XLSX，不超过 10 MB。"),
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["item"].label_from_instance = lambda i: (
            f"{i.name}（{points_text(i.points, i.kind)}）"
        )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核"),
        choices=[("approve", _("通过")), ("refuse", _("不通过"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不通过时必须填写。"),
    )
