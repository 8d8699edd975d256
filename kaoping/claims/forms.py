from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.kit.decimals import points_text
from kaoping.kit.forms import DateInput, decision_form
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


DecideForm = decision_form(
    label=_("审核"),
    approve=_("通过"),
    refuse=_("不通过"),
    reason_label=_("审核意见"),
    reason_help=_("不通过时必须填写。"),
)
