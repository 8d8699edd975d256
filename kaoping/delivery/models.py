"""Messages delivered beyond the application (外发): by e-mail and SMS to a person, and to
an organisation's work group through its WeCom or DingTalk robot. The in-app
``Notification`` stays the record of every message; these rows say where a copy went,
each attempt and what the provider answered (docs/notifications.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.kit.text import PlainCharField
from kaoping.kit.users import author_field
from kaoping.notifications.models import Notification
from kaoping.orgs.models import Organization

ANSWER_MAX = 1000  # the stored part of a provider's answer


def _one_of(a: str, b: str) -> Q:
    """Exactly one of two nullable fields is set."""
    return (Q(**{f"{a}__isnull": False}) & Q(**{f"{b}__isnull": True})) | (
        Q(**{f"{a}__isnull": True}) & Q(**{f"{b}__isnull": False})
    )


class ChannelPreference(models.Model):
    """One person's channels (我的账号 → 消息渠道); no row: in-app only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preference"
    )
    email = models.BooleanField(_("电子邮件"), default=False)
    sms = models.BooleanField(_("短信"), default=False)
    digest = models.BooleanField(_("每日汇总"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id}: email={self.email} sms={self.sms} digest={self.digest}"


class Status(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("未送达")


class Outgoing(models.Model):
    """The sending state of a copy or a group post: pending until claimed (``sending``),
    then sent, or pending again for the next try, or failed after the last."""

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]


class Delivery(Outgoing):
    """One copy of a message on one channel: a notification, or one day's digest of a
    person's notifications. At most one per notification and channel (and per person,
    channel and day for a digest); a worker claims it by a conditional update from
    ``pending`` to ``sending``, so two workers never both send it."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("电子邮件")
        SMS = "sms", _("短信")

    Status = Status

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries"
    )
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    digest_day = models.DateField(null=True, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    urgent = models.BooleanField(default=False)

    class Meta(Outgoing.Meta):
        indexes = [models.Index(fields=["status", "next_try_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"],
                condition=Q(notification__isnull=False),
                name="delivery_once_per_channel",
            ),
            models.UniqueConstraint(
                fields=["user", "channel", "digest_day"],
                condition=Q(digest_day__isnull=False),
                name="digest_once_per_day",
            ),
            models.CheckConstraint(
                condition=_one_of("notification", "digest_day"),
                name="delivery_message_or_digest",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["email", "sms"]), name="delivery_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} #{self.notification_id or self.digest_day} {self.status}"


class GroupRobot(models.Model):
    """An organisation's work-group robot (群机器人) of WeCom or DingTalk: its webhook and,
    for DingTalk, the signing secret (加签). Kept by the working committee's admins."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("企业微信")
        DINGTALK = "dingtalk", _("钉钉")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="group_robots"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = PlainCharField(_("名称"), max_length=100)
    webhook = models.URLField(_("Webhook 地址"), max_length=500)
    secret = PlainCharField(_("加签密钥"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organization__path", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["wecom", "dingtalk"]), name="robot_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.kind} {self.name}"


class GroupMessage(Outgoing):
    """One post to a work group: text made from a ``notices.GroupNotice`` only (what is
    to be done, by when, where), never a person's record."""

    Status = Status

    robot = models.ForeignKey(GroupRobot, on_delete=models.CASCADE, related_name="messages")
    title = models.CharField(max_length=100)
    text = models.CharField(max_length=2000)
    created_by = author_field()

    class Meta(Outgoing.Meta):
        indexes = [models.Index(fields=["status", "next_try_at"])]

    def __str__(self) -> str:
        return f"{self.robot_id}: {self.title}"


class DeliveryAttempt(models.Model):
    """One try to send a delivery or a group message: when, the outcome and the
    provider's answer (bounded)."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, null=True, blank=True, related_name="tries"
    )
    group_message = models.ForeignKey(
        GroupMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="tries"
    )
    at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField()
    answer = models.CharField(max_length=ANSWER_MAX, blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_one_of("delivery", "group_message"),
                name="attempt_of_one_message",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'error'}"
