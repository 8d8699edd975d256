"""Reads of outbound delivery: what a copy says and to whom, who keeps which robots, the
failures an admin sees (scoped like the tree: a committee admin's organisations)."""

import datetime
from functools import reduce
from operator import or_

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.archive.models import MemberProfile
from kaoping.notifications.models import Notification
from kaoping.orgs.models import Organization, RoleAssignment
from kaoping.orgs.selectors import scope_for

from .models import ChannelPreference, Delivery, DeliveryAttempt, GroupMessage, GroupRobot, Status
from .notices import absolute

DIGEST_MAX = 50  # notifications listed in one digest e-mail


def preference_of(user: User) -> ChannelPreference:
    """The user's channels (an unsaved row with everything off when none is kept)."""
    return ChannelPreference.objects.filter(user=user).first() or ChannelPreference(user=user)


def phone_of(user: User) -> str:
    """The mobile number in the user's member archive ("" without one)."""
    phone = MemberProfile.objects.filter(member__user=user).values_list("phone", flat=True).first()
    return (phone or "").strip()


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time(0), tzinfo=tz)
    return start, start + datetime.timedelta(days=1)


def delivery_message(delivery: Delivery) -> tuple[str, str, str]:
    """``(to, subject, body)`` of one copy: the person's own notification (or their day's
    digest), to their own address; nothing about anybody else."""
    to = delivery.user.email if delivery.channel == Delivery.Channel.EMAIL else ""
    if delivery.channel == Delivery.Channel.SMS:
        to = phone_of(delivery.user)
    notification = delivery.notification
    if notification is not None:
        body = notification.text
        if notification.link:
            body += "\n" + absolute(notification.link)
        return to, _("考评系统通知"), body
    assert delivery.digest_day is not None
    start, end = day_bounds(delivery.digest_day)
    texts = list(
        Notification.objects.filter(user=delivery.user, created_at__gte=start, created_at__lt=end)
        .order_by("created_at", "id")
        .values_list("text", flat=True)[: DIGEST_MAX + 1]
    )
    day = delivery.digest_day.isoformat()
    subject = _("考评系统每日汇总（%(day)s）") % {"day": day}
    if delivery.channel == Delivery.Channel.SMS:
        return (
            to,
            subject,
            _("您 %(day)s 有 %(n)s 条新通知，请登录查看。") % {"day": day, "n": len(texts)},
        )
    lines = [f"· {t}" for t in texts[:DIGEST_MAX]]
    if len(texts) > DIGEST_MAX:
        lines.append(_("……更多通知请登录查看。"))
    return to, subject, "\n".join(lines)


def due_ids(model: type[Delivery] | type[GroupMessage], now: datetime.datetime) -> list[int]:
    return list(
        model.objects.filter(status=Status.PENDING, next_try_at__lte=now).values_list(
            "id", flat=True
        )[:10_000]
    )


# --------------------------------------------------------------------------- admins


def _admin_q(actor: Actor, field: str) -> Q | None:
    """Rows under the actor's committee-admin organisations; None: everything."""
    scope = scope_for(actor)
    if scope.everything:
        return None
    if not scope.admin_paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in scope.admin_paths))


def admin_required(*, actor: Actor) -> None:
    """The failures page and the robots are the committee admins' (404 for others)."""
    if not scope_for(actor).is_scheme_admin:
        raise Http404(_("找不到这个页面。"))


def robots_manageable(*, actor: Actor, organization: Organization) -> bool:
    """An organisation's group robots (its work group's) are kept by the committee admins
    above it and by its own secretary (书记), who runs the branch's work group."""
    if actor is None:
        return True
    scope = scope_for(actor)
    if scope.everything or any(organization.path.startswith(p) for p in scope.admin_paths):
        return True
    return (
        RoleAssignment.Role.SECRETARY in scope.roles
        and RoleAssignment.objects.filter(
            user=actor, organization=organization, role=RoleAssignment.Role.SECRETARY
        ).exists()
    )


def _last_try() -> Prefetch:
    return Prefetch("tries", queryset=DeliveryAttempt.objects.order_by("-at", "-id"))


def failed_deliveries(*, actor: Actor) -> QuerySet[Delivery]:
    admin_required(actor=actor)
    qs = Delivery.objects.filter(status=Status.FAILED).select_related("user")
    q = _admin_q(actor, "user__member__branch__path")
    return (qs if q is None else qs.filter(q)).prefetch_related(_last_try())


def failed_group_messages(*, actor: Actor) -> QuerySet[GroupMessage]:
    admin_required(actor=actor)
    qs = GroupMessage.objects.filter(status=Status.FAILED).select_related(
        "robot", "robot__organization"
    )
    q = _admin_q(actor, "robot__organization__path")
    return (qs if q is None else qs.filter(q)).prefetch_related(_last_try())


def delivery_for_admin(*, actor: Actor, pk: int) -> Delivery:
    row = failed_deliveries(actor=actor).filter(pk=pk).first()
    if row is None:
        raise Http404(_("找不到这条发送失败的消息。"))
    return row


def group_message_for_admin(*, actor: Actor, pk: int) -> GroupMessage:
    row = failed_group_messages(actor=actor).filter(pk=pk).first()
    if row is None:
        raise Http404(_("找不到这条发送失败的消息。"))
    return row


def robots_of(*, actor: Actor, organization: Organization) -> QuerySet[GroupRobot]:
    if not robots_manageable(actor=actor, organization=organization):
        raise Http404(_("找不到这个页面。"))
    return GroupRobot.objects.filter(organization=organization)


def robot_for_admin(*, actor: Actor, pk: int) -> GroupRobot:
    robot = GroupRobot.objects.select_related("organization").filter(pk=pk).first()
    if robot is None or not robots_manageable(actor=actor, organization=robot.organization):
        raise Http404(_("找不到这个群机器人。"))
    return robot


def organization_for_robots(*, actor: Actor, code: str) -> Organization:
    org = Organization.objects.filter(code=code).first()
    if org is None or not robots_manageable(actor=actor, organization=org):
        raise Http404(_("找不到这个党组织。"))
    return org
