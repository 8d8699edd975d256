"""The scheduler enqueues each run once, and real worker processes send a reminder once,
however many schedulers and workers run at the same time, on the database queue and on
the Redis/RQ queue alike."""

import datetime
import json
import subprocess
import sys

import pytest

from kaoping.bundles.tests.test_examples import EXAMPLES
from kaoping.reminders.models import ScheduleSlot
from kaoping.reminders.schedule import schedules_run_due, slot_of
from kaoping.testing.cli import kaoping


def test_slots_are_the_starts_of_their_periods():
    five = datetime.timedelta(minutes=5)
    at = datetime.datetime(2026, 7, 1, 9, 7, 31, tzinfo=datetime.UTC)
    assert slot_of(at, five) == datetime.datetime(2026, 7, 1, 9, 5, tzinfo=datetime.UTC)
    assert slot_of(at + five, five) == datetime.datetime(2026, 7, 1, 9, 10, tzinfo=datetime.UTC)


@pytest.fixture
def enqueued(monkeypatch):
    """What the schedules enqueue, by name and slot, instead of running it."""
    calls: list[tuple[str, datetime.datetime]] = []
    for name, function in [
        ("reminders", "_reminders"),
        ("deliveries-due", "_deliveries_due"),
        ("digest", "_digest"),
        ("warnings", "_warnings"),
    ]:
        monkeypatch.setattr(
            f"kaoping.reminders.schedule.{function}",
            lambda slot, name=name: calls.append((name, slot)),
        )
    return calls


@pytest.mark.django_db
def test_a_slot_is_enqueued_once(enqueued):
    at = datetime.datetime(2026, 7, 1, 9, 7, 30, tzinfo=datetime.UTC)
    assert schedules_run_due(now=at) == ["reminders", "deliveries-due", "digest", "warnings"]
    assert schedules_run_due(now=at + datetime.timedelta(seconds=20)) == []
    assert schedules_run_due(now=at + datetime.timedelta(minutes=1)) == ["deliveries-due"]
    assert schedules_run_due(now=at + datetime.timedelta(minutes=3)) == [
        "reminders",
        "deliveries-due",
    ]
    assert [name for name, _slot in enqueued].count("reminders") == 2
    assert ScheduleSlot.objects.filter(name="reminders").count() == 2


@pytest.mark.django_db
def test_the_digest_runs_after_local_midnight_for_the_day_that_ended(enqueued, settings):
    # 2026-07-01 16:10 UTC is 07-02 00:10 in Beijing: the day's slot began at 00:05.
    at = datetime.datetime(2026, 7, 1, 16, 10, tzinfo=datetime.UTC)
    schedules_run_due(now=at)
    [slot] = [slot for name, slot in enqueued if name == "digest"]
    assert slot == datetime.datetime(2026, 7, 1, 16, 5, tzinfo=datetime.UTC)
    schedules_run_due(now=at + datetime.timedelta(hours=23))
    assert [name for name, _slot in enqueued].count("digest") == 1


@pytest.mark.django_db
def test_the_digest_task_is_enqueued_for_yesterday(monkeypatch):
    from kaoping.delivery import background
    from kaoping.reminders.schedule import _digest

    days = []

    class Digest:
        def enqueue(self, day: str) -> None:
            days.append(day)

    monkeypatch.setattr(background, "deliveries_digest_send", Digest())
    _digest(datetime.datetime(2026, 7, 1, 16, 5, tzinfo=datetime.UTC))
    assert days == ["2026-07-01"]


SETUP = """
import datetime, json
from django.contrib.auth.models import User
from django.utils import timezone
from kaoping.meetings.services import meeting_schedule
from kaoping.orgs.models import Member
from kaoping.orgs.services import member_link_user
member = Member.objects.filter(user__isnull=True).order_by("code").first()
user = User.objects.create_user("reminded", password="x-unused-x")
member_link_user(actor=None, member=member, user=user)
meeting = meeting_schedule(actor=None, branch=member.branch, kind="theme_day",
                           starts_at=timezone.now() + datetime.timedelta(minutes=30),
                           place="三楼党员活动室", topic="学习党章", members=[member])
print(json.dumps({"meeting": meeting.code}))
"""

READ_BACK = """
import json
from kaoping.notifications.models import Notification
from kaoping.reminders.models import ReminderSent, ScheduleSlot
print(json.dumps({
    "reminders": list(Notification.objects.filter(user__username="reminded",
                      text__startswith="会议提醒").values_list("text", flat=True)),
    "records": ReminderSent.objects.count(),
    "slots": ScheduleSlot.objects.count(),
    "reminder_slots": ScheduleSlot.objects.filter(name="reminders").count(),
    "tasks": sorted(DBTaskResult.objects.values_list("status", flat=True)),
}))
"""


def _together(url: str, *commands: list[str], extra: dict | None = None) -> None:
    """Start the commands at once and wait for all: two machines doing the same."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["KAOPING_DATABASE_URL"] = url
    env.update(extra or {})
    env["KAOPING_REMINDERS_EVERY"] = "1440"  # one slot a day: the restart falls in it
    running = [
        subprocess.Popen(  # noqa: S603 - this interpreter and the project's own command
            [sys.executable, "-m", "kaoping.cli", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for args in commands
    ]
    for process in running:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err


def test_two_schedulers_and_two_workers_send_a_meeting_reminder_once(empty_database_url):
    url = empty_database_url()
    kaoping(url, "import-bundle", str(EXAMPLES / "small-district.bundle.json"), timeout=300)
    meeting = json.loads(kaoping(url, "shell", "-c", SETUP).strip().splitlines()[-1])["meeting"]

    _together(url, ["run-scheduler", "--once"], ["run-scheduler", "--once"])
    _together(
        url,
        ["db-worker", "--batch", "--no-startup-delay", "--worker-id", "w1"],
        ["db-worker", "--batch", "--no-startup-delay", "--worker-id", "w2"],
    )
    # A restart: the schedulers run again in the same slot, the workers again.
    _together(url, ["run-scheduler", "--once"], ["run-scheduler", "--once"])
    _together(url, ["db-worker", "--batch", "--no-startup-delay"])

    done = json.loads(kaoping(url, "shell", "-c", READ_BACK).strip().splitlines()[-1])
    # One task per slot claimed, whichever scheduler claimed it (one reminders slot
    # unless the run crossed 08:00, the start of the day's slot).
    assert done["tasks"] == ["SUCCESSFUL"] * done["slots"]
    assert done["reminder_slots"] in (1, 2)
    assert done["records"] == 1
    [text] = done["reminders"]
    assert "会议提醒：主题党日「学习党章」" in text
    assert meeting.startswith("MT-")


RQ_READ_BACK = """
import json, django_rq
from rq.registry import FailedJobRegistry
from kaoping.notifications.models import Notification
from kaoping.reminders.models import ReminderSent, ScheduleSlot
queue = django_rq.get_queue("default")
print(json.dumps({
    "reminders": list(Notification.objects.filter(user__username="reminded",
                      text__startswith="会议提醒").values_list("text", flat=True)),
    "records": ReminderSent.objects.count(),
    "reminder_slots": ScheduleSlot.objects.filter(name="reminders").count(),
    "queued": len(queue.job_ids),
    "failed": len(FailedJobRegistry(queue=queue)),
}))
"""


def test_on_the_redis_queue_two_schedulers_and_two_rq_workers_send_it_once(
    empty_database_url, redis_url
):
    """The same schedules on the distributed backend (KAOPING_TASKS=rq): what the
    schedulers enqueue goes into Redis, and two ``rqworker`` processes take it."""
    url = empty_database_url()
    rq = {"KAOPING_TASKS": "rq", "KAOPING_REDIS_URL": redis_url}
    kaoping(url, "import-bundle", str(EXAMPLES / "small-district.bundle.json"), env=rq)
    kaoping(url, "shell", "-c", SETUP, env=rq)
    worker = ["rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default"]

    _together(url, ["run-scheduler", "--once"], ["run-scheduler", "--once"], extra=rq)
    _together(url, worker, worker, extra=rq)
    _together(url, ["run-scheduler", "--once"], ["run-scheduler", "--once"], extra=rq)
    _together(url, worker, extra=rq)

    done = json.loads(kaoping(url, "shell", "-c", RQ_READ_BACK, env=rq).strip().splitlines()[-1])
    assert done["queued"] == 0 and done["failed"] == 0
    assert done["reminder_slots"] in (1, 2)
    assert done["records"] == 1
    [text] = done["reminders"]
    assert "会议提醒：主题党日「学习党章」" in text
