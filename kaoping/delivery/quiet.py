"""Quiet hours (免打扰时段, ``KAOPING_QUIET_HOURS``, "22:00-07:00" by default): a
non-urgent e-mail or SMS planned inside them waits for their end. Pure functions."""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def quiet_hours(text: str | None = None) -> tuple[datetime.time, datetime.time] | None:
    """``(start, end)`` from "HH:MM-HH:MM" (an end before the start spans midnight);
    None when the setting is empty."""
    text = settings.KAOPING_QUIET_HOURS if text is None else text
    if not text.strip():
        return None
    try:
        start, end = (datetime.time.fromisoformat(p.strip()) for p in text.split("-"))
    except ValueError as error:
        raise ImproperlyConfigured(
            f"KAOPING_QUIET_HOURS is HH:MM-HH:MM (22:00-07:00), not {text!r}"
        ) from error
    return start, end


def quiet_until(at: datetime.datetime, text: str | None = None) -> datetime.datetime | None:
    """When the quiet hours around ``at`` end, in local time; None when ``at`` is not in
    them."""
    hours = quiet_hours(text)
    if hours is None:
        return None
    start, end = hours
    local = timezone.localtime(at)
    t = local.time()
    if start == end:
        return None
    inside = (start <= t < end) if start < end else (t >= start or t < end)
    if not inside:
        return None
    day = local.date() if t < end else local.date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, end, tzinfo=local.tzinfo)
