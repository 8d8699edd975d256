"""Writes of notifications; every workflow calls ``notification_send`` in its own
transaction, so a rolled-back action leaves no message behind."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.utils import timezone

from kaoping.annotations import Actor

from .models import Notification


def notification_send(*, user: User | None, text: str, link: str = "") -> Notification | None:
    """Tell one user something; a member without a login (``user=None``) is skipped."""
    if user is None:
        return None
    return Notification.objects.create(user=user, text=text[:500], link=link)


def notification_send_many(*, users: Iterable, text: str, link: str = "") -> int:
    rows = [Notification(user=u, text=text[:500], link=link) for u in users if u is not None]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notifications_mark_read(*, actor: Actor, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all of them when ``ids`` is None)."""
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(id__in=list(ids))
    return qs.update(read_at=timezone.now())
