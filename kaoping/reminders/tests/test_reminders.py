"""Reminders before a meeting and a task's deadline, after a missed one, each once."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from kaoping.audit.models import AuditEvent
from kaoping.meetings.services import leave_decide, leave_request, meeting_schedule
from kaoping.notifications.models import Notification
from kaoping.reminders.models import ReminderSent
from kaoping.reminders.services import reminders_send
from kaoping.reminders.timing import durations, label, stage_for
from kaoping.tasks.models import Assignment
from kaoping.tasks.services import task_assign
from kaoping.testing.factories import b1_meeting

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 7, 1, 9, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def texts(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


def reminded(user) -> list[str]:
    return [t for t in texts(user) if t.startswith(("会议提醒", "任务提醒"))]


@pytest.fixture
def meeting(district):
    return b1_meeting(district, NOW + 20 * HOUR, kind="theme_day", place="三楼党员活动室")


def test_durations_read_the_settings_form():
    assert durations("X", "24h,1h") == (datetime.timedelta(days=1), HOUR)
    assert durations("X", "1h, 3d,1h") == (datetime.timedelta(days=3), HOUR)
    assert [label(d) for d in durations("X", "3d,2h,30m")] == ["3d", "2h", "30m"]
    for wrong in ("", "24", "0h", "1w", "1h;2h"):
        with pytest.raises(ImproperlyConfigured, match="X is a list of durations"):
            durations("X", wrong)


def test_the_stage_is_the_shortest_that_still_fits():
    before = (datetime.timedelta(days=1), HOUR)
    assert stage_for(20 * HOUR, before) == datetime.timedelta(days=1)
    assert stage_for(30 * datetime.timedelta(minutes=1), before) == HOUR
    assert stage_for(25 * HOUR, before) is None


def test_a_meeting_is_reminded_the_day_before_and_the_hour_before_once_each(district, meeting):
    assert reminders_send(now=NOW) == 1  # member1 is the branch's one member with a login
    [text] = reminded(district.member1)
    assert "会议提醒：主题党日「学习党章」将于 2026-07-02 13:00 在 三楼党员活动室 召开" in text
    assert "如需请假，请在" in text and "前提交书面请假" in text

    # The scheduler runs every few minutes: the same stage is not sent again.
    assert reminders_send(now=NOW + datetime.timedelta(minutes=5)) == 0
    assert reminders_send(now=NOW + 19 * HOUR + datetime.timedelta(minutes=10)) == 1
    assert reminders_send(now=NOW + 19 * HOUR + datetime.timedelta(minutes=20)) == 0
    assert len(reminded(district.member1)) == 2
    assert set(
        ReminderSent.objects.filter(object_key=meeting.code).values_list("stage", flat=True)
    ) == {"1d", "1h"}
    event = AuditEvent.objects.filter(action="reminder.send").first()
    assert event.target_id == meeting.code
    assert event.after == {"stage": "1h", "recipients": 1}


def test_the_hour_before_is_urgent_and_the_day_before_is_not(district, meeting, monkeypatch):
    from kaoping.reminders import services

    urgent = []
    monkeypatch.setattr(
        services, "notification_send", lambda **kwargs: urgent.append(kwargs["urgent"])
    )
    reminders_send(now=NOW)
    reminders_send(now=NOW + 19 * HOUR + datetime.timedelta(minutes=10))
    assert urgent == [False, True]


def test_approved_leave_gets_no_reminder(district, meeting):
    leave = leave_request(actor=district.member1, meeting=meeting, reason="出差", at=NOW - HOUR)
    leave_decide(actor=district.sec1, leave=leave, approve=True)
    assert reminders_send(now=NOW) == 0
    assert reminded(district.member1) == []


def test_no_reminder_for_a_meeting_beyond_the_first_stage(district, meeting):
    assert reminders_send(now=NOW - 5 * HOUR) == 0


@pytest.fixture
def task(district):
    return task_assign(
        actor=district.sec1,
        branch=district.b1,
        kind="study",
        title="学习党章第三章",
        due_at=NOW + 60 * HOUR,
    )


def test_a_task_is_reminded_three_days_and_one_day_before_to_those_not_done(district, task):
    assert reminders_send(now=NOW) == 1
    [text] = reminded(district.member1)
    assert text.startswith("任务提醒：「学习党章第三章」将于 2026-07-04 05:00 截止")
    assert reminders_send(now=NOW + 40 * HOUR) == 1
    # Handed in: the last reminder is not sent.
    Assignment.objects.filter(task=task, member=district.m1).update(
        status=Assignment.Status.SUBMITTED, text="学习心得"
    )
    assert reminders_send(now=NOW + 59 * HOUR) == 0
    assert len(reminded(district.member1)) == 2


def test_a_missed_task_is_told_to_the_secretary_the_day_after_with_a_count_only(district, task):
    due = task.due_at
    assert reminders_send(now=due + 23 * HOUR) == 0
    assert reminders_send(now=due + 25 * HOUR) == 1
    [text] = [t for t in texts(district.sec1) if "仍有" in t]
    assert "任务「学习党章第三章」已于 2026-07-04 05:00 截止，仍有 2 人未完成" in text
    assert "张三" not in text and "李四" not in text  # a count, not names
    assert reminders_send(now=due + 30 * HOUR) == 0
    assert reminders_send(now=due + 9 * 24 * HOUR) == 0  # past the look-back: nothing


def test_reminders_carry_no_score(district, meeting, task):
    reminders_send(now=NOW)
    for text in Notification.objects.values_list("text", flat=True):
        for word in ("分", "等次", "投票", "选票", "优秀", "合格"):
            assert word not in text, text


def test_a_reminder_to_a_deactivated_login_is_not_sent(district, meeting):
    district.member1.is_active = False
    district.member1.save()
    assert reminders_send(now=NOW) == 0


def test_the_branch_group_is_told_once_what_to_do_by_when(district, meeting, task):
    from kaoping.delivery.models import GroupMessage, GroupRobot

    GroupRobot.objects.create(
        organization=district.b1, kind="wecom", name="一支部群", webhook="https://example.org/h"
    )
    reminders_send(now=NOW)
    texts_posted = sorted(GroupMessage.objects.values_list("text", flat=True))
    assert len(texts_posted) == 2  # the meeting's and the task's first stage
    assert "会议：主题党日「学习党章」，地点：三楼党员活动室" in texts_posted[1]
    assert "截止时间：2026-07-02 13:00" in texts_posted[1]
    assert "任务：「学习党章第三章」，请按时完成并提交" in texts_posted[0]
    for text in texts_posted:
        assert "张三" not in text and "李四" not in text
    # Later stages and reruns post nothing more to the group.
    reminders_send(now=NOW + 19 * HOUR + datetime.timedelta(minutes=10))
    reminders_send(now=NOW + 40 * HOUR)
    assert GroupMessage.objects.count() == 2


def _rules_queries(now) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kaoping.reminders.rules import meeting_reminders, task_missed_reminders
    from kaoping.reminders.timing import reminder_timing

    with CaptureQueriesContext(connection) as captured:
        for rule in (meeting_reminders, task_missed_reminders):
            for reminder in rule(now, reminder_timing()):
                assert reminder.users
    return len(captured)


def test_the_meeting_and_missed_task_rules_read_in_a_fixed_number_of_queries(district):
    """One query per kind of record, not per meeting or task (a committee has hundreds)."""

    def add(n: int) -> None:
        for i in range(n):
            for branch, secretary in ((district.b1, district.sec1), (district.b2, district.sec2)):
                meeting_schedule(
                    actor=secretary,
                    branch=branch,
                    kind="theme_day",
                    starts_at=NOW + 20 * HOUR + i * datetime.timedelta(minutes=1),
                    place="活动室",
                    topic=f"学习{i}",
                )
                task_assign(
                    actor=secretary,
                    branch=branch,
                    kind="study",
                    title=f"学习{i}",
                    due_at=NOW - 30 * HOUR - i * datetime.timedelta(minutes=1),
                )

    add(1)
    few = _rules_queries(NOW)
    add(3)
    assert _rules_queries(NOW) == few
