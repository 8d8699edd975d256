import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kaoping.ledger.models import ScoreEntry
from kaoping.tasks.models import Assignment, Task
from kaoping.tasks.services import task_assign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def due(days):
    return timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0) + (
        datetime.timedelta(days=days)
    )


def test_study_task_over_http(client, district):
    d = district
    client.force_login(d.sec1)
    branch_page = client.get(reverse("web:branch", args=["B1"]))
    assert reverse("tasks:branch", args=["B1"]) in branch_page.content.decode()
    response = client.post(
        reverse("tasks:branch", args=["B1"]),
        {
            "kind": "study",
            "title": "学习二十大报告心得",
            "due_at": due(2).strftime("%Y-%m-%dT%H:%M"),
            "members": [d.m1.pk, d.m1b.pk],
        },
        follow=True,
    )
    task = Task.objects.get()
    assert response.redirect_chain[-1][0] == reverse("tasks:detail", args=[task.code])
    client.force_login(d.member1)
    mine = client.get(reverse("tasks:mine"))
    assert "学习二十大报告心得" in mine.content.decode()
    response = client.post(
        reverse("tasks:submit", args=[task.code]),
        {"text": "体会", "file": SimpleUploadedFile("n.pdf", b"%PDF-1.4 x", "application/pdf")},
        follow=True,
    )
    assert "已提交" in response.content.decode()
    a = Assignment.objects.get(member=d.m1)
    assert a.status == "submitted" and a.file
    assert client.get(reverse("tasks:file", args=[task.code, "M1"])).status_code == 200
    client.force_login(d.member2)
    assert client.get(reverse("tasks:file", args=[task.code, "M1"])).status_code == 404
    Task.objects.filter(pk=task.pk).update(due_at=due(-1))
    client.force_login(d.sec1)
    response = client.post(reverse("tasks:close", args=[task.code]), follow=True)
    assert "新增 1 条扣分记录" in response.content.decode()
    entry = ScoreEntry.objects.get()
    assert entry.member == d.m1b and entry.source == "study" and entry.item.code == "D02"
    again = client.post(reverse("tasks:close", args=[task.code]), follow=True)
    assert "未新增任何记录" in again.content.decode()
    assert ScoreEntry.objects.count() == 1


def test_assigned_task_marked_over_http(client, district):
    d = district
    task = task_assign(actor=d.sec1, branch=d.b1, kind="assigned", title="整理档案", due_at=due(1))
    client.force_login(d.sec1)
    url = reverse("tasks:mark", args=[task.code])
    client.post(url, {"member": "M1", "status": "not_done", "reason": ""})
    client.post(url, {"member": "M1B", "status": "done", "reason": ""})
    response = client.post(reverse("tasks:close", args=[task.code]), follow=True)
    assert "新增 1 条扣分记录" in response.content.decode()
    assert ScoreEntry.objects.get().source == "task"


def test_bad_upload_stores_nothing(client, district):
    d = district
    task = task_assign(actor=d.sec1, branch=d.b1, kind="study", title="笔记", due_at=due(1))
    client.force_login(d.member1)
    response = client.post(
        reverse("tasks:submit", args=[task.code]),
        {"file": SimpleUploadedFile("virus.exe", b"MZ", "application/octet-stream")},
    )
    assert response.status_code == 400 and "只能上传" in response.content.decode()
    assert Assignment.objects.get(member=d.m1).status == "pending"


def test_wrong_branch_and_wrong_role_are_refused(client, district):
    d = district
    task = task_assign(actor=d.sec1, branch=d.b1, kind="study", title="笔记", due_at=due(1))
    client.force_login(d.sec2)
    assert client.get(reverse("tasks:detail", args=[task.code])).status_code == 404
    assert client.get(reverse("tasks:branch", args=["B1"])).status_code == 404
    assert client.post(reverse("tasks:close", args=[task.code])).status_code == 404
    client.force_login(d.member2)
    assert client.get(reverse("tasks:detail", args=[task.code])).status_code == 404
    client.force_login(d.member1)
    assert client.post(reverse("tasks:close", args=[task.code])).status_code == 403
    client.force_login(d.orgdept)
    assert client.get(reverse("tasks:detail", args=[task.code])).status_code == 200
    assert client.post(reverse("tasks:close", args=[task.code])).status_code == 403
    assert client.post(reverse("tasks:branch", args=["B1"]), {}).status_code == 403


@pytest.mark.parametrize("n", [2, 8])
def test_task_pages_query_count_is_constant(client, district, n, django_assert_max_num_queries):
    d = district
    for _ in range(n):
        task = task_assign(actor=d.sec1, branch=d.b1, kind="study", title="读书周记", due_at=due(1))
    client.force_login(d.sec1)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("tasks:branch", args=["B1"]))
    assert page.content.decode().count("读书周记") == n
    with django_assert_max_num_queries(14):
        client.get(reverse("tasks:detail", args=[task.code]))
    client.force_login(d.member1)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("tasks:mine"))
    assert page.content.decode().count("读书周记") == n
