from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kaoping.annotations import Actor

from .models import Notification


def notifications_for(*, actor: Actor) -> QuerySet[Notification]:
    """The actor's own notifications, newest first (nobody sees anyone else's)."""
    if not getattr(actor, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=actor)


def unread_count(*, actor: Actor) -> int:
    return notifications_for(actor=actor).filter(read_at__isnull=True).count()


def notification_of(*, actor: Actor, pk: int) -> Notification:
    """One of the actor's own notifications; anyone else's is the same 404 as a missing one."""
    found = notifications_for(actor=actor).filter(pk=pk).first()
    if found is None:
        raise Http404(_("找不到该通知。"))
    return found
