"""Writes of outbound delivery (外发): planning the e-mail and SMS copies of a
notification (``deliveries_plan``, the notifications hook), sending one copy
(``delivery_send``, run by the background task, claimed atomically so two workers never
both send), the daily digest, posts to a work group (``group_notice_send``), and what
people and admins change: channels, robots, retries (audited)."""

import datetime
from collections.abc import Iterable
from typing import TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import Task

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.kit.users import user_or_none
from kaoping.notifications.models import Notification
from kaoping.orgs.models import Organization

from . import selectors
from .channels import DingTalkRobot, EmailChannel, ProviderAnswer, WeComRobot, sms_gateway
from .channels.base import Channel
from .models import (
    ChannelPreference,
    Delivery,
    DeliveryAttempt,
    GroupMessage,
    GroupRobot,
    Status,
)
from .notices import GroupNotice
from .quiet import quiet_until

R = TypeVar("R", Delivery, GroupMessage)
# Minutes to wait after the 1st, 2nd, 3rd failed try; the try after the last is the last.
BACKOFF_MINUTES = (1, 5, 30)
MAX_TRIES = len(BACKOFF_MINUTES) + 1
# A copy left "sending" this long was lost with its worker: it is marked failed, not sent
# again (at most once per channel), and an admin may retry it.
SENDING_LOST = datetime.timedelta(minutes=15)
# Both robots accept 20 messages a minute; beyond that a post waits (never dropped).
ROBOT_PER_MINUTE = 20


# --------------------------------------------------------------------------- planning


def _hold_until(now: datetime.datetime, urgent: bool) -> datetime.datetime:
    if urgent:
        return now
    return quiet_until(now) or now


def deliveries_plan(rows: list[Notification], urgent: bool = False) -> list[Delivery]:
    """The notifications hook: one pending copy per channel the user chose, in the caller's
    transaction; sent by the background task after the commit. Digest readers get none
    (``digests_plan`` gathers their day)."""
    user_ids = {n.user_id for n in rows}
    if not user_ids:
        return []
    prefs = {
        p.user_id: p
        for p in ChannelPreference.objects.filter(user_id__in=user_ids, digest=False).filter(
            Q(email=True) | Q(sms=True)
        )
    }
    if not prefs:
        return []
    now = timezone.now()
    next_try = _hold_until(now, urgent)
    planned = []
    for n in rows:
        pref = prefs.get(n.user_id)
        if pref is None:
            continue
        for channel, on in ((Delivery.Channel.EMAIL, pref.email), (Delivery.Channel.SMS, pref.sms)):
            if on:
                planned.append(
                    Delivery(
                        user_id=n.user_id,
                        notification=n,
                        channel=channel,
                        urgent=urgent,
                        next_try_at=next_try,
                        created_at=now,
                    )
                )
    Delivery.objects.bulk_create(planned, ignore_conflicts=True)
    ids = list(
        Delivery.objects.filter(
            notification__in=[n.pk for n in rows], status=Status.PENDING
        ).values_list("id", "next_try_at")
    )
    transaction.on_commit(lambda: deliveries_enqueue(ids))
    return planned


def deliveries_enqueue(items: Iterable[tuple[int, datetime.datetime]]) -> None:
    """Hand each copy to the queue: now, or at its time when the backend can defer (the
    database and RQ backends can; one that cannot leaves it to ``deliveries_due_send``)."""
    from .background import delivery_send_task

    _enqueue(delivery_send_task, items)


def _enqueue(task: Task, items: Iterable[tuple[int, datetime.datetime]]) -> None:
    now = timezone.now()
    for pk, at in items:
        if at <= now:
            task.enqueue(pk)
        elif task.get_backend().supports_defer:
            task.using(run_after=at).enqueue(pk)


# --------------------------------------------------------------------------- sending


def _claim(model: type[Delivery] | type[GroupMessage], pk: int, now: datetime.datetime) -> bool:
    """Move one row from pending (and due) to sending: exactly one worker gets 1 back."""
    return (
        model.objects.filter(pk=pk, status=Status.PENDING, next_try_at__lte=now).update(
            status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
        )
        == 1
    )


def _after_try(
    row: Delivery | GroupMessage, answer: ProviderAnswer, now: datetime.datetime
) -> datetime.datetime | None:
    """Record the attempt and the row's new state; the time of the next try, if any."""
    link = {"delivery": row} if isinstance(row, Delivery) else {"group_message": row}
    DeliveryAttempt.objects.create(at=now, ok=answer.ok, answer=answer.text, **link)
    next_try = None
    if answer.ok:
        row.status, row.sent_at = Status.SENT, now
    elif row.attempts >= MAX_TRIES:
        row.status = Status.FAILED
    else:
        row.status = Status.PENDING
        next_try = now + datetime.timedelta(minutes=BACKOFF_MINUTES[row.attempts - 1])
        row.next_try_at = next_try
    row.save(update_fields=["status", "sent_at", "next_try_at"])
    return next_try


def _channel(kind: str) -> Channel | None:
    if kind == Delivery.Channel.EMAIL:
        return EmailChannel()
    return sms_gateway()


def delivery_send(*, delivery_id: int, now: datetime.datetime | None = None) -> str:
    """Try to send one copy (the background task's work): "sent", "retry", "failed", or
    "skipped" when it is not pending and due (sent, taken by another worker, held)."""
    now = now or timezone.now()
    if not _claim(Delivery, delivery_id, now):
        return "skipped"
    delivery = Delivery.objects.select_related("user", "notification").get(pk=delivery_id)
    to, subject, body = selectors.delivery_message(delivery)
    channel = _channel(delivery.channel)
    if channel is None:
        answer = ProviderAnswer(False, "SMS is off (KAOPING_SMS_PROVIDER)")
    elif not to:
        answer = ProviderAnswer(False, "no address")
    else:
        answer = channel.send(to, subject, body)
    next_try = _after_try(delivery, answer, now)
    if next_try is not None:
        deliveries_enqueue([(delivery.pk, next_try)])
    return delivery.status if next_try is None else "retry"


def _robot_channel(robot: GroupRobot) -> Channel:
    if robot.kind == GroupRobot.Kind.DINGTALK:
        return DingTalkRobot(robot.secret)
    return WeComRobot()


def group_message_send(*, message_id: int, now: datetime.datetime | None = None) -> str:
    """Try to post one group message; beyond the robot's 20 a minute it waits for the
    minute to pass ("postponed") instead of being sent or dropped."""
    now = now or timezone.now()
    message = GroupMessage.objects.filter(pk=message_id).select_related("robot").first()
    if message is None:
        return "skipped"
    minute_ago = now - datetime.timedelta(minutes=1)
    recent = list(
        DeliveryAttempt.objects.filter(
            group_message__robot_id=message.robot_id, at__gt=minute_ago, at__lte=now
        )
        .order_by("at")
        .values_list("at", flat=True)[:ROBOT_PER_MINUTE]
    )
    if len(recent) >= ROBOT_PER_MINUTE:
        later = recent[0] + datetime.timedelta(minutes=1)
        if GroupMessage.objects.filter(pk=message_id, status=Status.PENDING).update(
            next_try_at=later
        ):
            group_messages_enqueue([(message_id, later)])
            return "postponed"
        return "skipped"
    if not _claim(GroupMessage, message_id, now):
        return "skipped"
    message.refresh_from_db()
    answer = _robot_channel(message.robot).send(message.robot.webhook, message.title, message.text)
    next_try = _after_try(message, answer, now)
    if next_try is not None:
        group_messages_enqueue([(message.pk, next_try)])
    return message.status if next_try is None else "retry"


def group_messages_enqueue(items: Iterable[tuple[int, datetime.datetime]]) -> None:
    from .background import group_message_send_task

    _enqueue(group_message_send_task, items)


def deliveries_due_send(*, now: datetime.datetime | None = None) -> int:
    """Enqueue every pending copy and group post that is due (after a restart, or with a
    backend that cannot defer), and mark those lost in "sending" failed. The count enqueued."""
    now = now or timezone.now()
    lost = now - SENDING_LOST
    for model in (Delivery, GroupMessage):
        model.objects.filter(status=Status.SENDING, claimed_at__lt=lost).update(
            status=Status.FAILED
        )
    due = [(pk, now) for pk in selectors.due_ids(Delivery, now)]
    posts = [(pk, now) for pk in selectors.due_ids(GroupMessage, now)]
    deliveries_enqueue(due)
    group_messages_enqueue(posts)
    return len(due) + len(posts)


# --------------------------------------------------------------------------- the digest


def digests_plan(*, day: datetime.date, now: datetime.datetime | None = None) -> int:
    """One digest copy per channel for every digest reader who had notifications on
    ``day`` (local date); a second call for the same day adds nothing. The count planned."""
    now = now or timezone.now()
    start, end = selectors.day_bounds(day)
    readers = ChannelPreference.objects.filter(digest=True).filter(Q(email=True) | Q(sms=True))
    users_with_news = set(
        Notification.objects.filter(
            created_at__gte=start, created_at__lt=end, user__channel_preference__digest=True
        ).values_list("user_id", flat=True)
    )
    next_try = _hold_until(now, urgent=False)
    planned = [
        Delivery(
            user_id=p.user_id, digest_day=day, channel=channel, next_try_at=next_try, created_at=now
        )
        for p in readers
        if p.user_id in users_with_news
        for channel, on in ((Delivery.Channel.EMAIL, p.email), (Delivery.Channel.SMS, p.sms))
        if on
    ]
    with transaction.atomic():
        before = Delivery.objects.filter(digest_day=day).count()
        Delivery.objects.bulk_create(planned, ignore_conflicts=True)
        made = Delivery.objects.filter(digest_day=day).count() - before
        ids = list(
            Delivery.objects.filter(digest_day=day, status=Status.PENDING).values_list(
                "id", "next_try_at"
            )
        )
        transaction.on_commit(lambda: deliveries_enqueue(ids))
    return made


# --------------------------------------------------------------------------- groups


def group_notice_send(
    *, actor: Actor, organization: Organization, notice: GroupNotice
) -> list[GroupMessage]:
    """Post a notice to every robot of ``organization`` (a branch's work group): the one
    service a reminder calls for "this branch's group". Only a ``GroupNotice`` is
    accepted, so nothing about one person can be posted."""
    if not isinstance(notice, GroupNotice):
        raise TypeError("a group message is made from a GroupNotice only")
    robots = list(GroupRobot.objects.filter(organization=organization))
    if not robots:
        return []
    now = timezone.now()
    with transaction.atomic():
        messages = GroupMessage.objects.bulk_create(
            [
                GroupMessage(
                    robot=r,
                    title=notice.title(),
                    text=notice.text(),
                    created_by=user_or_none(actor),
                    next_try_at=now,
                    created_at=now,
                )
                for r in robots
            ]
        )
        items = [(m.pk, now) for m in messages]
        transaction.on_commit(lambda: group_messages_enqueue(items))
    return messages


def _robot_manage_check(actor: Actor, organization: Organization) -> None:
    if not selectors.robots_manageable(actor=actor, organization=organization):
        raise PermissionDenied(
            _("只有党工委管理员和本支部书记可以管理 %(org)s 的群机器人。")
            % {"org": organization.name}
        )


def group_robot_add(
    *,
    actor: Actor,
    organization: Organization,
    kind: str,
    name: str,
    webhook: str,
    secret: str = "",
) -> GroupRobot:
    _robot_manage_check(actor, organization)
    if not webhook.startswith(("https://", "http://")):
        raise ValidationError({"webhook": _("Webhook 地址须以 https:// 或 http:// 开头。")})
    if kind == GroupRobot.Kind.WECOM and secret:
        raise ValidationError({"secret": _("企业微信群机器人没有加签密钥。")})
    with transaction.atomic():
        robot = GroupRobot(
            organization=organization, kind=kind, name=name, webhook=webhook, secret=secret
        )
        robot.full_clean()
        robot.save()
        audit_record(
            actor=actor,
            action="group_robot.add",
            target=robot,
            after={"organization": organization.code, "kind": kind, "name": name},
        )
    return robot


def group_robot_remove(*, actor: Actor, robot: GroupRobot) -> None:
    _robot_manage_check(actor, robot.organization)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="group_robot.remove",
            target=robot,
            before={
                "organization": robot.organization.code,
                "kind": robot.kind,
                "name": robot.name,
            },
        )
        robot.delete()


def group_robot_test(*, actor: Actor, robot: GroupRobot) -> GroupMessage:
    """A test post to one robot (sent by the background task like every post)."""
    _robot_manage_check(actor, robot.organization)
    notice = GroupNotice(
        what=_("考评系统测试消息：群机器人 %(name)s 已接通。") % {"name": robot.name}
    )
    now = timezone.now()
    with transaction.atomic():
        message = GroupMessage.objects.create(
            robot=robot,
            title=notice.title(),
            text=notice.text(),
            created_by=user_or_none(actor),
            next_try_at=now,
        )
        audit_record(actor=actor, action="group_robot.test", target=robot)
        transaction.on_commit(lambda: group_messages_enqueue([(message.pk, now)]))
    return message


# --------------------------------------------------------------------------- people, admins


def channel_preference_set(
    *, actor: User, email: bool, sms: bool, digest: bool, address: str | None = None
) -> ChannelPreference:
    """One's own channels (我的账号); ``address``: the login's e-mail address, changed with
    them. E-mail needs an address; SMS needs a phone number in one's archive."""
    if address is not None:
        address = address.strip()
        if address:
            try:
                validate_email(address)
            except ValidationError as error:
                raise ValidationError({"address": error.messages}) from error
        actor.email = address
    if email and not actor.email:
        raise ValidationError({"email": _("请先填写电子邮件地址。")})
    if sms and not selectors.phone_of(actor):
        raise ValidationError({"sms": _("您的档案中没有联系电话，无法接收短信。")})
    with transaction.atomic():
        if address is not None:
            actor.save(update_fields=["email"])
        pref, _created = ChannelPreference.objects.get_or_create(user=actor)
        before = {"email": pref.email, "sms": pref.sms, "digest": pref.digest}
        pref.email, pref.sms, pref.digest = email, sms, digest
        pref.updated_at = timezone.now()
        pref.save()
        audit_record(
            actor=actor,
            action="delivery.channels",
            target=pref,
            before=before,
            after={"email": email, "sms": sms, "digest": digest},
        )
    return pref


def delivery_retry(*, actor: Actor, delivery: Delivery) -> Delivery:
    """Send a failed copy again (the failures page): a fresh round of tries."""
    return _retry(actor, delivery)


def group_message_retry(*, actor: Actor, message: GroupMessage) -> GroupMessage:
    """Post a failed group message again: a fresh round of tries."""
    return _retry(actor, message)


def _retry(actor: Actor, row: R) -> R:
    now = timezone.now()
    is_delivery = isinstance(row, Delivery)
    enqueue = deliveries_enqueue if is_delivery else group_messages_enqueue
    with transaction.atomic():
        updated = (
            type(row)
            .objects.filter(pk=row.pk, status=Status.FAILED)
            .update(status=Status.PENDING, attempts=0, next_try_at=now)
        )
        if not updated:
            raise ValidationError(_("只能重发发送失败的消息。"))
        audit_record(
            actor=actor,
            action="delivery.retry" if is_delivery else "group_message.retry",
            target=row,
        )
        transaction.on_commit(lambda: enqueue([(row.pk, now)]))
    row.refresh_from_db()
    return row
