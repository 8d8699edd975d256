"""SMS through a gateway adapter: ``SmsGateway`` is the interface, ``AliyunSms`` the one
implementation (阿里云短信服务 SendSms, RPC style, signature version 1.0). The setting
``KAOPING_SMS_PROVIDER`` names the class: ``aliyun`` or a dotted path; another provider is
a new class with the same ``send`` (docs/notifications.md "SMS")."""

import base64
import hashlib
import hmac
import json
import urllib.parse
import uuid
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .base import ProviderAnswer, http_post


class SmsGateway:
    """One SMS provider. Built from the ``KAOPING_SMS_*`` settings; ``send(to, subject,
    body)`` sends ``body`` to the mobile number ``to`` (the subject is not sent)."""

    def __init__(self, *, url: str, key_id: str, key_secret: str, sign_name: str, template: str):
        self.url, self.key_id, self.key_secret = url, key_id, key_secret
        self.sign_name, self.template = sign_name, template

    def send(self, to: str, subject: str, body: str) -> ProviderAnswer:
        raise NotImplementedError


def percent_encode(value: str) -> str:
    """Aliyun's POP encoding: RFC 3986 (space %20, ``*`` %2A, ``~`` kept)."""
    return urllib.parse.quote(value, safe="~")


def aliyun_signature(params: dict[str, str], key_secret: str, method: str = "POST") -> str:
    """Signature version 1.0: HMAC-SHA1 with ``key_secret + "&"`` over
    ``METHOD&%2F&`` + the encoded canonical query (parameters sorted by name)."""
    canonical = "&".join(
        f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items())
    )
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{key_secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSms(SmsGateway):
    """阿里云短信服务 ``SendSms`` (API version 2017-05-25). The template (``TemplateCode``)
    has one variable ``${text}``, filled with the message cut to ``TEXT_MAX`` characters."""

    TEXT_MAX = 35  # Aliyun's limit for a variable of a notice template

    def params(self, to: str, body: str, *, now: datetime | None = None) -> dict[str, str]:
        now = now or datetime.now(UTC)
        return {
            "AccessKeyId": self.key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": to,
            "RegionId": "cn-hangzhou",
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": self.template,
            "TemplateParam": json.dumps({"text": body[: self.TEXT_MAX]}, ensure_ascii=False),
            "Timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }

    def send(self, to: str, subject: str, body: str) -> ProviderAnswer:
        params = self.params(to, body)
        params["Signature"] = aliyun_signature(params, self.key_secret)
        answer = http_post(
            self.url,
            urllib.parse.urlencode(params, quote_via=urllib.parse.quote).encode(),
            "application/x-www-form-urlencoded",
        )
        data: dict[str, Any] | None = answer.json()
        ok = answer.status == 200 and data is not None and data.get("Code") == "OK"
        return ProviderAnswer(ok, f"HTTP {answer.status} {answer.text}")


PROVIDERS = {"aliyun": "kaoping.delivery.channels.sms.AliyunSms"}


def sms_gateway() -> SmsGateway | None:
    """The configured gateway, or None when SMS is off (``KAOPING_SMS_PROVIDER`` empty)."""
    name = settings.KAOPING_SMS_PROVIDER
    if not name:
        return None
    cls = import_string(PROVIDERS.get(name, name))
    if not (isinstance(cls, type) and issubclass(cls, SmsGateway)):
        raise ImproperlyConfigured(f"KAOPING_SMS_PROVIDER {name!r} is not an SmsGateway")
    return cls(
        url=settings.KAOPING_SMS_URL,
        key_id=settings.KAOPING_SMS_KEY_ID,
        key_secret=settings.KAOPING_SMS_KEY_SECRET,
        sign_name=settings.KAOPING_SMS_SIGN_NAME,
        template=settings.KAOPING_SMS_TEMPLATE,
    )
