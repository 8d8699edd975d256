from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AccountPolicy


class UsernameRuleForm(forms.Form):
    username_rule = forms.ChoiceField(
        label=_("用户名规则"),
        choices=AccountPolicy.UsernameRule.choices,
        initial=AccountPolicy.UsernameRule.MEMBER_CODE,
        widget=forms.RadioSelect,
        help_text=_("新开通的账号以党员编号或登记的手机号码作为用户名；已有账号不变。"),
    )
