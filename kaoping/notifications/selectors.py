from django.db.models import QuerySet

from kaoping.annotations import Actor

from .models import Notification


def notifications_for(*, actor: Actor) -> QuerySet[Notification]:
    """The actor's own notifications, newest first (nobody sees anyone else's)."""
    if not getattr(actor, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=actor)


def unread_count(*, actor: Actor) -> int:
    return notifications_for(actor=actor).filter(read_at__isnull=True).count()
