"""The reminders as a task of the project's queue (django-tasks: the database queue or
Redis/RQ), enqueued by the scheduler (``schedule.py``)."""

from django_tasks import task

from .services import reminders_send, warnings_remind


@task()
def reminders_send_task() -> int:
    return reminders_send(actor=None)


@task()
def warnings_remind_task() -> int:
    return warnings_remind(actor=None)
