"""When reminders go out: the settings ``REMINDERS`` (durations such as ``24h,1h``, read
from ``KAOPING_REMIND_*``, docs/notifications.md) as ``timedelta`` values."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_DURATION = re.compile(r"^(\d{1,4})([mhd])$")
_UNIT = {"m": "minutes", "h": "hours", "d": "days"}


def durations(name: str, text: str) -> tuple[datetime.timedelta, ...]:
    """``"24h,1h"`` → (24 hours, 1 hour), longest first; a malformed value stops the start
    with the setting's name, as every other setting does."""
    found = []
    for part in text.split(","):
        match = _DURATION.match(part.strip())
        if match is None or int(match[1]) == 0:
            raise ImproperlyConfigured(
                f"{name} is a list of durations such as 24h,1h or 3d (m, h, d), not {text!r}"
            )
        found.append(datetime.timedelta(**{_UNIT[match[2]]: int(match[1])}))
    return tuple(sorted(set(found), reverse=True))


def label(duration: datetime.timedelta) -> str:
    """A stage's name in the reminder record: ``1d``, ``3h``, ``30m``."""
    minutes = int(duration.total_seconds()) // 60
    if minutes % 1440 == 0:
        return f"{minutes // 1440}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


@dataclass(frozen=True)
class ReminderTiming:
    meeting_before: tuple[datetime.timedelta, ...]
    task_before: tuple[datetime.timedelta, ...]
    task_missed_after: datetime.timedelta
    dues_before: tuple[datetime.timedelta, ...]
    evaluation_before: tuple[datetime.timedelta, ...]
    notice_before: tuple[datetime.timedelta, ...]
    escalate_after: datetime.timedelta


def reminder_timing() -> ReminderTiming:
    config = settings.REMINDERS
    return ReminderTiming(
        meeting_before=durations("KAOPING_REMIND_MEETING_BEFORE", config["meeting_before"]),
        task_before=durations("KAOPING_REMIND_TASK_BEFORE", config["task_before"]),
        task_missed_after=durations(
            "KAOPING_REMIND_TASK_MISSED_AFTER", config["task_missed_after"]
        )[0],
        dues_before=durations("KAOPING_REMIND_DUES_BEFORE", config["dues_before"]),
        evaluation_before=durations(
            "KAOPING_REMIND_EVALUATION_BEFORE", config["evaluation_before"]
        ),
        notice_before=durations("KAOPING_REMIND_NOTICE_BEFORE", config["notice_before"]),
        escalate_after=durations(
            "KAOPING_ESCALATE_WARNINGS_AFTER", config["escalate_warnings_after"]
        )[0],
    )


def stage_for(
    distance: datetime.timedelta, before: tuple[datetime.timedelta, ...]
) -> datetime.timedelta | None:
    """The stage a reminder is in when ``distance`` is left: the shortest of ``before``
    that is at least ``distance`` (a meeting set up 30 minutes ahead gets the one-hour
    reminder only, never a late "tomorrow" one)."""
    fitting = [b for b in before if distance <= b]
    return min(fitting) if fitting else None
