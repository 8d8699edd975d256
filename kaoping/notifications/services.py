"""Writes of notifications; every workflow calls ``notification_send`` in its own
transaction, so a rolled-back action leaves no message behind.

The in-app notification is the record of every message. Apps above this one may add a
hook (``notification_hook_add``) that is called with the new rows in the same transaction:
``delivery`` plans the e-mail and SMS copies there (docs/notifications.md)."""

from collections.abc import Callable, Iterable

from django.contrib.auth.models import User
from django.utils import timezone

from kaoping.annotations import Actor

from .models import Notification

# Called with the notifications just written and whether they are urgent (quiet hours do
# not hold an urgent one); registered by an app's ``ready()``.
SentHook = Callable[[list[Notification], bool], object]
_hooks: list[SentHook] = []


def notification_hook_add(hook: SentHook) -> None:
    if hook not in _hooks:
        _hooks.append(hook)


def _sent(rows: list[Notification], urgent: bool) -> None:
    for hook in _hooks:
        hook(rows, urgent)


def notification_send(
    *, user: User | None, text: str, link: str = "", urgent: bool = False
) -> Notification | None:
    """Tell one user something; a member without a login (``user=None``) is skipped."""
    if user is None:
        return None
    row = Notification.objects.create(user=user, text=text[:500], link=link)
    _sent([row], urgent)
    return row


def notification_send_many(
    *, users: Iterable, text: str, link: str = "", urgent: bool = False
) -> int:
    rows = [Notification(user=u, text=text[:500], link=link) for u in users if u is not None]
    Notification.objects.bulk_create(rows)
    _sent(rows, urgent)
    return len(rows)


def notifications_mark_read(*, actor: Actor, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all of them when ``ids`` is None)."""
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(id__in=list(ids))
    return qs.update(read_at=timezone.now())
