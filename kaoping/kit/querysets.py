"""Querysets narrowed by what a caller chose, the same in every list."""

from typing import Any, TypeVar

from django.db.models import QuerySet

Q = TypeVar("Q", bound=QuerySet)


def filter_given(queryset: Q, **lookups: Any) -> Q:
    """``queryset`` narrowed by each lookup whose value was given: a list's optional
    filters (``None``: not chosen, that lookup is left out)."""
    chosen = {lookup: value for lookup, value in lookups.items() if value is not None}
    return queryset.filter(**chosen) if chosen else queryset
