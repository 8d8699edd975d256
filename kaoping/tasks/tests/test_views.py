import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kaoping.ledger.models import ScoreEntry
from kaoping.tasks.models import Assignment, Task
from kaoping.tasks.services import task_assign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


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


def _finalise(d, year):
    """B1's ``year`` finalised (its scheme made when the clock is past the fixture's)."""
    from kaoping.schemes.models import Scheme
    from kaoping.schemes.services import branch_year_finalise
    from kaoping.testing.factories import SchemeFactory

    scheme = Scheme.objects.filter(year=year).first() or SchemeFactory(year=year)
    branch_year_finalise(actor=None, scheme=scheme, branch=d.b1)


def test_a_frozen_year_offers_no_task_controls(client, district):
    """Issue 15, item 15: once B1's year is finalised its task pages say so at the top and
    offer no new task, no marking, no closing and no submission; forms posted from older
    pages are refused with the notice and change nothing, and the services refuse too."""
    from django.core.exceptions import ValidationError

    from kaoping.tasks.services import task_close, task_mark

    d = district
    may = datetime.datetime(2026, 5, 10, 18, 0, tzinfo=timezone.get_current_timezone())
    assigned = task_assign(actor=d.sec1, branch=d.b1, kind="assigned", title="整理台账", due_at=may)
    study = task_assign(actor=d.sec1, branch=d.b1, kind="study", title="读书笔记", due_at=may)
    branch_url = reverse("tasks:branch", args=["B1"])
    detail = reverse("tasks:detail", args=[assigned.code])
    client.force_login(d.sec1)
    assert f'method="post" action="{branch_url}"' in client.get(branch_url).content.decode()
    assert reverse("tasks:mark", args=[assigned.code]) in client.get(detail).content.decode()
    _finalise(d, 2026)
    if due(7).year != 2026:
        _finalise(d, due(7).year)
    notice = f"{due(7).year} 年度考评结果已定格"

    page = client.get(branch_url).content.decode()
    assert notice in page and f'method="post" action="{branch_url}"' not in page
    new = client.post(
        branch_url,
        {
            "kind": "duty",
            "title": "值班",
            "due_at": due(7).strftime("%Y-%m-%dT%H:%M"),
            "members": [d.m1.pk],
        },
    )
    assert new.status_code == 400 and notice in new.content.decode()
    assert Task.objects.count() == 2

    page = client.get(detail).content.decode()
    assert "2026 年度考评结果已定格" in page
    assert reverse("tasks:mark", args=[assigned.code]) not in page
    assert reverse("tasks:close", args=[assigned.code]) not in page
    marked = client.post(
        reverse("tasks:mark", args=[assigned.code]), {"member": "M1", "status": "done"}, follow=True
    )
    assert any("已定格" in str(m) for m in marked.context["messages"])
    closed = client.post(reverse("tasks:close", args=[assigned.code]), follow=True)
    assert any("已定格" in str(m) for m in closed.context["messages"])
    assigned.refresh_from_db()
    assert not assigned.is_closed
    assert not Assignment.objects.exclude(status="pending").exists()
    with pytest.raises(ValidationError, match="已定格"):
        task_mark(actor=d.sec1, task=assigned, member=d.m1, status="done")
    with pytest.raises(ValidationError, match="已定格"):
        task_close(actor=d.sec1, task=study, now=timezone.now())

    client.force_login(d.member1)
    page = client.get(reverse("tasks:detail", args=[study.code])).content.decode()
    assert "2026 年度考评结果已定格" in page
    assert reverse("tasks:submit", args=[study.code]) not in page
    submitted = client.post(reverse("tasks:submit", args=[study.code]), {"text": "体会"})
    assert submitted.status_code == 400
    assert not Assignment.objects.exclude(status="pending").exists()
    assert not ScoreEntry.objects.exists() and Task.objects.filter(status="open").count() == 2
