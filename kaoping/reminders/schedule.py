"""The scheduler (定时调度): which tasks run how often, and the claim that makes each run
happen once however many scheduler processes are started (docs/decisions.md).

``kaoping run-scheduler`` calls ``schedules_run_due`` every few seconds: the reminders
every few minutes, the outbound copies that have come due every minute and the daily
digest just after midnight (``kaoping/delivery``). A schedule's run
is named by its slot (the start of its period); the process whose insert of
``ScheduleSlot(name, slot)`` succeeds enqueues the task, any other finds the row taken.
The task itself runs on the project's queue like every background job."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduleSlot

EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Schedule:
    """A task enqueued once every ``every``, at the slots ``anchor + n × every``."""

    name: str
    every: datetime.timedelta
    enqueue: Callable[[datetime.datetime], object]
    anchor: datetime.datetime = EPOCH


def _reminders(slot: datetime.datetime) -> object:
    from .background import reminders_send_task

    return reminders_send_task.enqueue()


def _warnings(slot: datetime.datetime) -> object:
    from .background import warnings_remind_task

    return warnings_remind_task.enqueue()


def _deliveries_due(slot: datetime.datetime) -> object:
    from kaoping.delivery.background import deliveries_due_task

    return deliveries_due_task.enqueue()


def _digest(slot: datetime.datetime) -> object:
    """Just after local midnight, the digest of the day that ended (held by the quiet
    hours until the morning)."""
    from kaoping.delivery.background import deliveries_digest_send

    day = timezone.localtime(slot).date() - DAY
    return deliveries_digest_send.enqueue(day=day.isoformat())


def schedules() -> tuple[Schedule, ...]:
    local_midnight = datetime.datetime(2000, 1, 1, tzinfo=timezone.get_current_timezone())
    return (
        Schedule("reminders", settings.REMINDERS_EVERY_MINUTES * MINUTE, _reminders),
        # Copies whose retry or quiet hours have ended (kaoping/delivery).
        Schedule("deliveries-due", MINUTE, _deliveries_due),
        Schedule("digest", DAY, _digest, anchor=local_midnight + 5 * MINUTE),
        # Early warnings and their escalation, each morning at nine.
        Schedule("warnings", DAY, _warnings, anchor=local_midnight + 9 * 60 * MINUTE),
    )


def slot_of(
    now: datetime.datetime, every: datetime.timedelta, anchor: datetime.datetime = EPOCH
) -> datetime.datetime:
    """The start of the period of ``every`` (counted from ``anchor``) that ``now`` is in."""
    return now - (now - anchor) % every


def schedules_run_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue each schedule whose current slot nobody has claimed; the names enqueued."""
    now = now or timezone.now()
    started = []
    for schedule in schedules():
        slot = slot_of(now, schedule.every, schedule.anchor)
        try:
            # On the database queue the claim and the queued task commit together.
            with transaction.atomic():
                ScheduleSlot.objects.create(name=schedule.name, slot=slot)
                schedule.enqueue(slot)
        except IntegrityError:
            continue
        started.append(schedule.name)
    return started
