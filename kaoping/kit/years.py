"""The moments that bound a calendar year in the local time zone."""

import datetime

from django.utils import timezone


def local_year_start(year: int) -> datetime.datetime:
    return datetime.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())


def local_year_end(year: int) -> datetime.datetime:
    """The first moment after ``year``, for ``< end`` filters; the last year a date can
    hold (9999, which the API accepts) ends at the last representable moment instead."""
    if year >= datetime.MAXYEAR:
        return datetime.datetime.max.replace(tzinfo=timezone.get_current_timezone())
    return local_year_start(year + 1)
