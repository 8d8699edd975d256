"""The scheduler (定时调度): which tasks run how often, and the claim that makes each run
happen once however many scheduler processes are started (docs/decisions.md).

``kaoping run-scheduler`` calls ``schedules_run_due`` every few seconds. A schedule's run
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


@dataclass(frozen=True)
class Schedule:
    name: str
    every: datetime.timedelta
    enqueue: Callable[[], object]


def _reminders() -> object:
    from .background import reminders_send_task

    return reminders_send_task.enqueue()


def schedules() -> tuple[Schedule, ...]:
    return (
        Schedule(
            "reminders",
            datetime.timedelta(minutes=settings.REMINDERS_EVERY_MINUTES),
            _reminders,
        ),
    )


def slot_of(now: datetime.datetime, every: datetime.timedelta) -> datetime.datetime:
    """The start of the period of ``every`` that ``now`` falls in."""
    return now - (now - EPOCH) % every


def schedules_run_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue each schedule whose current slot nobody has claimed; the names enqueued."""
    now = now or timezone.now()
    started = []
    for schedule in schedules():
        slot = slot_of(now, schedule.every)
        try:
            # On the database queue the claim and the queued task commit together.
            with transaction.atomic():
                ScheduleSlot.objects.create(name=schedule.name, slot=slot)
                schedule.enqueue()
        except IntegrityError:
            continue
        started.append(schedule.name)
    return started
