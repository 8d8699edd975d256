"""The channels a message leaves by, each a small class behind one interface:
``send(to, subject, body) -> ProviderAnswer``. ``to`` is an e-mail address, a mobile
number, or a robot's webhook; an error of the network or the provider is an answer with
``ok=False``, never an exception (docs/notifications.md "Channels")."""

from .base import Channel, ProviderAnswer
from .email import EmailChannel
from .robots import DingTalkRobot, WeComRobot
from .sms import AliyunSms, SmsGateway, sms_gateway

__all__ = [
    "AliyunSms",
    "Channel",
    "DingTalkRobot",
    "EmailChannel",
    "ProviderAnswer",
    "SmsGateway",
    "WeComRobot",
    "sms_gateway",
]
