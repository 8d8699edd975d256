import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from kaoping.ledger.models import ScoreEntry
from kaoping.notifications.models import Notification
from kaoping.tasks.models import Assignment
from kaoping.tasks.services import (
    task_assign,
    task_close,
    task_mark,
    task_rule_set,
    task_submit,
    tasks_remind_due,
)

pytestmark = pytest.mark.django_db


def due(days=-1):
    return timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0) + (
        datetime.timedelta(days=days)
    )


def test_study_task_missing_submission_becomes_one_entry_once(district):
    d = district
    task = task_assign(actor=d.sec1, branch=d.b1, kind="study", title="学习笔记", due_at=due())
    assert Notification.objects.filter(user=d.member1, text__contains="学习笔记").exists()
    task_submit(actor=d.member1, task=task, text="心得")
    created = task_close(actor=d.sec1, task=task)
    assert [e.member for e in created] == [d.m1b]
    entry = created[0]
    assert entry.source == ScoreEntry.Source.STUDY and entry.item.code == "D02"
    assert task_close(actor=d.sec1, task=task) == []
    assert ScoreEntry.objects.count() == 1


def test_accepted_excuse_means_no_entry_and_rule_is_a_setting(district):
    d = district
    task_rule_set(actor=d.admin, scheme=d.scheme, kind="study", item_code="D05")
    task = task_assign(actor=d.sec1, branch=d.b1, kind="study", title="心得", due_at=due())
    task_mark(actor=d.sec1, task=task, member=d.m1b, status="excused", reason="出差")
    created = task_close(actor=d.sec1, task=task)
    assert [(e.member, e.item.code) for e in created] == [(d.m1, "D05")]


def test_study_task_cannot_close_before_deadline(district):
    d = district
    task = task_assign(actor=d.sec1, branch=d.b1, kind="study", title="心得", due_at=due(3))
    with pytest.raises(ValidationError):
        task_close(actor=d.sec1, task=task)


def test_assigned_task_not_done_without_reason_becomes_entry(district):
    d = district
    task = task_assign(actor=d.sec1, branch=d.b1, kind="assigned", title="整理档案", due_at=due(2))
    task_mark(actor=d.sec1, task=task, member=d.m1, status="not_done")
    with pytest.raises(ValidationError):
        task_close(actor=d.sec1, task=task)  # M1B not marked yet
    task_mark(actor=d.sec1, task=task, member=d.m1b, status="not_done", reason="病假")
    created = task_close(actor=d.sec1, task=task)
    assert [(e.member, e.item.code, e.source) for e in created] == [(d.m1, "D05", "task")]
    assert task_close(actor=d.sec1, task=task) == []
    duty = task_assign(
        actor=d.sec1, branch=d.b1, kind="duty", title="报表", due_at=due(), members=[d.m1]
    )
    task_mark(actor=d.sec1, task=duty, member=d.m1, status="not_done")
    assert task_close(actor=d.sec1, task=duty)[0].item.code == "D06"


def test_refusals(district):
    d = district
    task = task_assign(actor=d.sec1, branch=d.b1, kind="study", title="心得", due_at=due(2))
    with pytest.raises(PermissionDenied):
        task_assign(actor=d.sec2, branch=d.b1, kind="study", title="x", due_at=due(2))
    with pytest.raises(PermissionDenied):
        task_close(actor=d.orgdept, task=task)
    with pytest.raises(PermissionDenied):
        task_submit(actor=d.member2, task=task, text="x")
    with pytest.raises(ValidationError):
        task_submit(actor=d.member1, task=task, text="")
    with pytest.raises(ValidationError):
        task_mark(actor=d.sec1, task=task, member=d.m1, status="excused", reason="")
    with pytest.raises(ValidationError):
        task_assign(
            actor=d.sec1, branch=d.b1, kind="study", title="x", due_at=due(2), members=[d.m2]
        )


def test_due_reminder_is_sent_once_to_open_assignments(district):
    d = district
    task = task_assign(actor=d.sec1, branch=d.b1, kind="study", title="笔记", due_at=due(0))
    task_submit(actor=d.member1, task=task, text="done")
    task_assign(actor=d.sec1, branch=d.b1, kind="study", title="以后", due_at=due(10))
    task2 = task_assign(actor=d.sec1, branch=d.b1, kind="study", title="到期", due_at=due(0))
    with translation.override("zh-hans"):
        assert tasks_remind_due() == 1  # only task2 has a member with a login still open
        assert tasks_remind_due() == 0
    assert Notification.objects.filter(user=d.member1, text__contains="即将截止").count() == 1
    assert Assignment.objects.filter(task=task2, status="pending").count() == 2


def test_remind_command(district):
    from io import StringIO

    from django.core.management import call_command

    d = district
    task_assign(actor=d.sec1, branch=d.b1, kind="duty", title="报表", due_at=due(0))
    out = StringIO()
    call_command("remind_tasks", "--hours", "48", stdout=out)
    assert "1 reminder(s) sent" in out.getvalue()
