"""Delivery's background tasks (django-tasks): send one copy, post one group message,
the day's digest, and the sweep of what is due. Thin: the work is in ``services``."""

import datetime

from django.utils import timezone
from django_tasks import task

from . import services


@task()
def delivery_send_task(delivery_id: int) -> str:
    return services.delivery_send(delivery_id=delivery_id)


@task()
def group_message_send_task(message_id: int) -> str:
    return services.group_message_send(message_id=message_id)


@task()
def deliveries_digest_send(day: str = "") -> int:
    """The digest of ``day`` (ISO date; default: today, local time), once a day."""
    date = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return services.digests_plan(day=date)


@task()
def deliveries_due_task() -> int:
    return services.deliveries_due_send()
