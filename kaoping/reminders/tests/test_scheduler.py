"""The scheduler enqueues each run once, and real worker processes send a reminder once,
however many schedulers and workers run at the same time."""

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


@pytest.mark.django_db
def test_a_slot_is_enqueued_once(monkeypatch):
    enqueued = []
    monkeypatch.setattr("kaoping.reminders.schedule._reminders", lambda: enqueued.append(1))
    at = datetime.datetime(2026, 7, 1, 9, 7, tzinfo=datetime.UTC)
    assert schedules_run_due(now=at) == ["reminders"]
    assert schedules_run_due(now=at + datetime.timedelta(minutes=2)) == []
    assert len(enqueued) == 1
    assert schedules_run_due(now=at + datetime.timedelta(minutes=3)) == ["reminders"]
    assert ScheduleSlot.objects.count() == 2
    assert len(enqueued) == 2


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
    "tasks": sorted(DBTaskResult.objects.values_list("status", flat=True)),
}))
"""


def _together(url: str, *commands: list[str]) -> None:
    """Start the commands at once and wait for all: two machines doing the same."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["KAOPING_DATABASE_URL"] = url
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
    # One task per slot claimed (one slot unless the run crossed 08:00, the day's start).
    assert done["tasks"] == ["SUCCESSFUL"] * done["slots"]
    assert done["slots"] in (1, 2)
    assert done["records"] == 1
    [text] = done["reminders"]
    assert "会议提醒：主题党日「学习党章」" in text
    assert meeting.startswith("MT-")
