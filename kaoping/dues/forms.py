from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.kit.forms import DateInput, PickerField
from kaoping.orgs.models import Member


class MonthField(forms.CharField):
    def to_python(self, value):
        import datetime

        value = super().to_python(value)
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(f"{value[:7]}-01")
        except ValueError as exc:
            raise forms.ValidationError(_("月份应为 YYYY-MM。")) from exc


class _MemberForm(forms.Form):
    member = PickerField(label=_("党员"), queryset=Member.objects.none())

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class PaymentForm(_MemberForm):
    month = MonthField(label=_("所属月份"), widget=forms.TextInput(attrs={"type": "month"}))
    amount = forms.DecimalField(label=_("金额"), max_digits=9, decimal_places=2, min_value=0.01)
    paid_on = forms.DateField(label=_("缴纳日期"), widget=DateInput())


class RateForm(_MemberForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("每月应交"), max_digits=9, decimal_places=2, min_value=0)


class SettingsForm(forms.Form):
    deadline_day = forms.IntegerField(label=_("每月截止日"), min_value=1, max_value=28)
    item_code = forms.CharField(label=_("扣分指标代码"), max_length=64)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("党费表格（xlsx）"))
