"""Forms of the user's own account pages and of the public reset-code page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import PlainTextValidator

PASSWORD_MAX = 128


def _password(label):
    return forms.CharField(
        label=label,
        max_length=PASSWORD_MAX,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ResetCodeRedeemForm(forms.Form):
    """用户名 + 重置码 + new password twice; the service checks the code and validators."""

    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        validators=[PlainTextValidator(_("用户名"))],
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    code = forms.CharField(
        label=_("重置码"),
        max_length=32,
        validators=[PlainTextValidator(_("重置码"))],
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )
    password1 = _password(_("新密码"))
    password2 = _password(_("再次输入新密码"))

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的新密码不一致。"))
        return data


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label=_("停用原因"),
        max_length=200,
        validators=[PlainTextValidator(_("停用原因"))],
    )
