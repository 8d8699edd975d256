from django import forms
from django.utils.translation import gettext_lazy as _

from .models import GroupRobot


class ChannelsForm(forms.Form):
    address = forms.EmailField(label=_("电子邮件地址"), required=False, max_length=254)
    email = forms.BooleanField(label=_("通过电子邮件接收通知"), required=False)
    sms = forms.BooleanField(
        label=_("通过短信接收通知"),
        required=False,
        help_text=_("发送到您党员档案中的联系电话。"),
    )
    digest = forms.BooleanField(
        label=_("每日汇总"),
        required=False,
        help_text=_("每天只收到一封汇总，而不是每条通知单独发送。"),
    )


class RobotForm(forms.ModelForm):
    webhook = forms.URLField(label=_("Webhook 地址"), max_length=500, assume_scheme="https")

    class Meta:
        model = GroupRobot
        fields = ["kind", "name", "webhook", "secret"]
        help_texts = {"secret": _("钉钉机器人的“加签”密钥（SEC 开头）；企业微信留空。")}
