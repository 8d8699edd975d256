"""Each channel against a real server on the loopback: SMTP (aiosmtpd), the WeCom and
DingTalk robots and the Aliyun SMS API (a local HTTP server that checks the signatures)."""

from kaoping.delivery.channels import AliyunSms, DingTalkRobot, EmailChannel, WeComRobot
from kaoping.delivery.channels.sms import sms_gateway


def test_email_with_chinese_subject_and_body(smtp_server):
    answer = EmailChannel().send("dangyuan@example.org", "考评系统通知", "您有一条新的扣分记录。")
    assert answer.ok, answer.text
    [mail] = smtp_server.received
    assert mail.recipients == ["dangyuan@example.org"]
    assert mail.subject == "考评系统通知"
    assert mail.body.strip() == "您有一条新的扣分记录。"


def test_email_refused_by_the_server_is_an_answer(smtp_server):
    smtp_server.refuse = True
    answer = EmailChannel().send("dangyuan@example.org", "主题", "正文")
    assert not answer.ok and "451" in answer.text


def test_wecom_markdown(webhooks):
    answer = WeComRobot().send(f"{webhooks.base}/wecom?key=abc", "支部大会", "请于周五前参加")
    assert answer.ok, answer.text
    [request] = webhooks.of("/wecom")
    assert request.query == {"key": "abc"}
    assert request.json() == {
        "msgtype": "markdown",
        "markdown": {"content": "**支部大会**\n请于周五前参加"},
    }


def test_dingtalk_markdown_signed(webhooks):
    robot = DingTalkRobot(webhooks.dingtalk_secret)
    answer = robot.send(f"{webhooks.base}/dingtalk?access_token=t", "缴纳党费", "本月 15 日前")
    assert answer.ok, answer.text
    [request] = webhooks.of("/dingtalk")
    assert request.signature_ok and request.query["access_token"] == "t"
    assert request.json() == {
        "msgtype": "markdown",
        "markdown": {"title": "缴纳党费", "text": "本月 15 日前"},
    }


def test_dingtalk_wrong_secret_is_refused(webhooks):
    answer = DingTalkRobot("SECwrong").send(f"{webhooks.base}/dingtalk", "标题", "正文")
    assert not answer.ok and "310000" in answer.text
    assert webhooks.of("/dingtalk")[0].signature_ok is False


def _aliyun(webhooks, secret):
    return AliyunSms(
        url=f"{webhooks.base}/sms",
        key_id="LTAItestkey",
        key_secret=secret,
        sign_name="考评系统",
        template="SMS_123456",
    )


def test_aliyun_sms_signed_request(webhooks):
    answer = _aliyun(webhooks, webhooks.sms_secret).send("13800138000", "", "请参加支部大会 + 学习")
    assert answer.ok, answer.text
    [request] = webhooks.of("/sms")
    assert request.signature_ok
    form = request.form()
    assert form["Action"] == "SendSms" and form["PhoneNumbers"] == "13800138000"
    assert form["SignName"] == "考评系统" and form["TemplateCode"] == "SMS_123456"
    assert form["TemplateParam"] == '{"text": "请参加支部大会 + 学习"}'
    assert form["SignatureVersion"] == "1.0" and form["Version"] == "2017-05-25"


def test_aliyun_sms_wrong_secret_is_refused(webhooks):
    answer = _aliyun(webhooks, "not-the-secret").send("13800138000", "", "正文")
    assert not answer.ok and "SignatureDoesNotMatch" in answer.text


def test_provider_chosen_by_setting(settings, webhooks):
    settings.KAOPING_SMS_PROVIDER = ""
    assert sms_gateway() is None
    settings.KAOPING_SMS_PROVIDER = "aliyun"
    assert isinstance(sms_gateway(), AliyunSms)
    settings.KAOPING_SMS_PROVIDER = "kaoping.delivery.tests.test_channels.EchoSms"
    gateway = sms_gateway()
    assert isinstance(gateway, EchoSms) and gateway.send("1", "", "x").ok


def test_unreachable_provider_is_an_answer():
    answer = WeComRobot().send("http://127.0.0.1:9/wecom", "标题", "正文")
    assert not answer.ok and answer.text.startswith("HTTP 0")


from kaoping.delivery.channels import ProviderAnswer, SmsGateway  # noqa: E402


class EchoSms(SmsGateway):
    """Another provider is a new class (docs/notifications.md)."""

    def send(self, to, subject, body):
        return ProviderAnswer(True, f"echo {to}")
