"""Sending the reminders that are due (发送提醒), each once per recipient."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.delivery.services import group_notice_send
from kaoping.notifications.services import notification_send

from .models import GroupReminderSent, ReminderSent
from .reminder import Reminder
from .rules import reminders_due
from .rules_warnings import warning_reminders
from .timing import reminder_timing


def reminders_send(*, actor: Actor = None, now: datetime.datetime | None = None) -> int:
    """Send every reminder due at ``now``; returns how many messages went out. A reminder
    already given (``ReminderSent``) is skipped, so running this again, after a restart or
    on two workers at once, sends nothing twice."""
    now = now or timezone.now()
    return sum(
        reminder_send(actor=actor, reminder=r, now=now)
        for r in reminders_due(now=now, timing=reminder_timing())
    )


def warnings_remind(*, actor: Actor = None, now: datetime.datetime | None = None) -> int:
    """Tell the secretaries of the early warnings of their branches, once each, and the
    committee's admins of those still there ``KAOPING_ESCALATE_WARNINGS_AFTER`` later.
    Daily (the scheduler), apart from the reminders: warnings change by the day."""
    now = now or timezone.now()
    after = reminder_timing().escalate_after
    reminders = warning_reminders(now, after)
    return sum(reminder_send(actor=actor, reminder=r, now=now) for r in reminders)


def _first_claim(model: type[ReminderSent] | type[GroupReminderSent], **key: object) -> bool:
    """Record the reminder under its unique key in a savepoint; False when it was already
    given (a second worker's insert waits on the key, then fails, and sends nothing)."""
    try:
        with transaction.atomic():
            model.objects.create(**key)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def reminder_send(*, actor: Actor, reminder: Reminder, now: datetime.datetime | None = None) -> int:
    """One reminder to those of its recipients who have not had it, each with its record,
    then to the branch's group if it has a part for one; the audit row for the lot."""
    key = {
        "kind": reminder.kind,
        "stage": reminder.stage,
        "object_key": reminder.object_key,
        "sent_at": now or timezone.now(),
    }
    sent = 0
    for user in reminder.users:
        if _first_claim(ReminderSent, user=user, **key):
            notification_send(
                user=user, text=reminder.text, link=reminder.link, urgent=reminder.urgent
            )
            sent += 1
    group, notice = reminder.group, reminder.group_notice
    if (
        group is not None
        and notice is not None
        and _first_claim(GroupReminderSent, organization=group, **key)
    ):
        sent += len(group_notice_send(actor=actor, organization=group, notice=notice))
    if sent:
        audit_record(
            actor=actor,
            action="reminder.send",
            target_type=reminder.kind,
            target_id=reminder.object_key,
            after={"stage": reminder.stage, "recipients": sent},
        )
    return sent
