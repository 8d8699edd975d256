"""The task pages' actions through the API (issue 20): a branch's tasks, assigning one,
one task, handing in a study task with its file (multipart), marking, closing. Each with
its refusals: out of scope (404), wrong role (403), invalid input and wrong state (422),
through HTTP with a bearer token or a session."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kaoping.ledger.models import ScoreEntry
from kaoping.tasks.models import Assignment, Task
from kaoping.tasks.services import task_assign
from kaoping.testing.api import assert_statuses, bearer, invalid, send, session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def due(days):
    return timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0) + (
        datetime.timedelta(days=days)
    )


def task_of(d, kind="study", days=1, title="笔记", branch=None, actor=None):
    return task_assign(
        actor=actor or d.sec1, branch=branch or d.b1, kind=kind, title=title, due_at=due(days)
    )


def pdf(name="n.pdf", data=b"%PDF-1.4 x"):
    return SimpleUploadedFile(name, data, "application/pdf")


# --------------------------------------------------------------------------- reads


def test_branch_tasks_list_filters_and_scope(district):
    d = district
    study = task_of(d, days=1)
    duty = task_of(d, kind="duty", days=3, title="值班")
    task_of(d, branch=d.b2, actor=d.sec2)
    sec = bearer(d.sec1)
    answer = sec.get("/api/branches/B1/tasks")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [t["code"] for t in body["items"]] == [duty.code, study.code]  # latest due first
    assert body["items"][1]["assigned"] == 2 and body["items"][1]["status"] == "open"
    assert [t["code"] for t in sec.get("/api/branches/B1/tasks?kind=study").json()["items"]] == [
        study.code
    ]
    assert sec.get("/api/branches/B1/tasks?status=closed").json()["count"] == 0
    assert sec.get("/api/branches/B1/tasks?kind=meeting").status_code == 422
    assert sec.get("/api/branches/B1/tasks?status=x").status_code == 422
    # a member reads tasks one by one, not the branch's list; other branches: 404
    assert_statuses("GET", "/api/branches/B1/tasks", {d.member1: 404, d.sec2: 404, d.orgdept: 200})


def test_task_detail_for_officers_and_assignees(district):
    d = district
    task = task_of(d)
    url = f"/api/tasks/{task.code}"
    sec = bearer(d.sec1).get(url)
    assert sec.status_code == 200
    assert [a["member"] for a in sec.json()["assignments"]] == ["M1", "M1B"]
    mine = session(d.member1).get(url).json()
    assert [a["member"] for a in mine["assignments"]] == ["M1"]  # only their own
    assert_statuses("GET", url, {d.orgdept: 200, d.member2: 404, d.sec2: 404})
    assert bearer(d.sec1).get("/api/tasks/TK-NONE").status_code == 404


# --------------------------------------------------------------------------- writes


def test_assign_a_task(district):
    d = district
    url = "/api/branches/B1/tasks"
    good = {"kind": "assigned", "title": "整理档案", "due_at": due(2).isoformat()}
    answer = send(bearer(d.sec1), "POST", url, {**good, "members": ["M1"]})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["kind"] == "assigned" and [a["member"] for a in body["assignments"]] == ["M1"]
    everyone = send(session(d.sec1), "POST", url, good)
    assert len(everyone.json()["assignments"]) == 2  # default: every assessed member
    assert Task.objects.count() == 2
    # refusals: a member 403, another branch 404, orgdept reads only 403
    assert_statuses("POST", url, {d.member1: 404, d.sec2: 404, d.orgdept: 403}, good)
    assert "kind" in invalid(bearer(d.sec1), "POST", url, {**good, "kind": "meeting"})
    assert "due_at" in invalid(
        bearer(d.sec1), "POST", url, {**good, "due_at": "2026-12-20T10:00:00"}
    )
    assert "title" in invalid(bearer(d.sec1), "POST", url, {**good, "title": ""})
    assert "members" in invalid(bearer(d.sec1), "POST", url, {**good, "members": ["M2"]})
    assert "members" in invalid(bearer(d.sec1), "POST", url, {**good, "members": []})
    far = send(bearer(d.sec1), "POST", url, {**good, "due_at": "1900-01-01T00:00:00+08:00"})
    assert far.status_code == 422 and "超出范围" in far.json()["errors"]["due_at"][0]
    assert Task.objects.count() == 2


def test_submit_a_study_task_with_a_file_then_close(district):
    d = district
    task = task_of(d)
    url = f"/api/tasks/{task.code}/submission"
    member = bearer(d.member1)
    answer = member.post(url, {"text": "体会", "file": pdf()})
    assert answer.status_code == 200, answer.content
    (mine,) = answer.json()["assignments"]
    assert mine["status"] == "submitted" and mine["text"] == "体会"
    assert mine["file"] == f"/tasks/{task.code}/file/M1/"
    a = Assignment.objects.get(member=d.m1)
    assert a.status == "submitted" and a.file
    # a text alone replaces the text (the file stays)
    assert session(d.member1).post(url, {"text": "再次"}).status_code == 200
    # refusals: nothing handed in, a refused file, not assigned, out of scope
    empty = member.post(url, {})
    assert empty.status_code == 422 and "请填写" in empty.json()["errors"]["text"][0]
    exe = member.post(url, {"file": SimpleUploadedFile("virus.exe", b"MZ")})
    assert exe.status_code == 422 and "只能上传" in exe.json()["errors"]["file"][0]
    fake = member.post(url, {"file": pdf(data=b"not a pdf")})
    assert fake.status_code == 422 and "file" in fake.json()["errors"]
    big = member.post(url, {"file": pdf(data=b"%PDF" + b"0" * (10 * 1024 * 1024))})
    assert big.status_code == 422 and "10 MB" in big.json()["errors"]["file"][0]
    assert bearer(d.sec1).post(url, {"text": "x"}).status_code == 403
    assert bearer(d.member2).post(url, {"text": "x"}).status_code == 404
    assert Assignment.objects.get(member=d.m1).text == "再次"
    # closing: before the deadline 422; after it, M1B's miss is one deduction
    close = f"/api/tasks/{task.code}/close"
    early = bearer(d.sec1).post(close)
    assert early.status_code == 422 and "截止时间" in early.json()["detail"]
    assert bearer(d.member1).post(close).status_code == 403
    assert bearer(d.orgdept).post(close).status_code == 403
    assert bearer(d.sec2).post(close).status_code == 404
    Task.objects.filter(pk=task.pk).update(due_at=due(-1))
    closed = bearer(d.sec1).post(close)
    assert closed.status_code == 200, closed.content
    entry = ScoreEntry.objects.get()
    assert closed.json() == {
        "task": task.code,
        "closed": True,
        "already_closed": False,
        "entries": [entry.code],
    }
    assert entry.member == d.m1b and entry.source == "study"
    again = bearer(d.sec1).post(close).json()
    assert again["already_closed"] and again["entries"] == []
    late = member.post(url, {"text": "迟交"})
    assert late.status_code == 422 and "已结算" in late.json()["detail"]
    detail = bearer(d.sec1).get(f"/api/tasks/{task.code}").json()
    assert detail["status"] == "closed"
    assert [a["entry"] for a in detail["assignments"]] == [None, entry.code]


def test_mark_an_assigned_task_then_close(district):
    d = district
    task = task_of(d, kind="assigned", title="整理档案")
    url = f"/api/tasks/{task.code}/marks"
    close = f"/api/tasks/{task.code}/close"
    sec = bearer(d.sec1)
    answer = send(sec, "POST", url, {"member": "M1", "status": "not_done"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["assignments"][0]["status"] == "not_done"
    unmarked = sec.post(close)
    assert unmarked.status_code == 422 and "未登记完成情况" in unmarked.json()["detail"]
    done = {"member": "M1B", "status": "done"}
    assert send(session(d.sec1), "POST", url, done).status_code == 200
    # refusals: a status the kind does not take, unknown status, unknown member, roles
    assert "status" in invalid(
        sec, "POST", url, {"member": "M1", "status": "excused", "reason": "病"}
    )
    assert send(sec, "POST", url, {"member": "M1", "status": "late"}).status_code == 422
    assert send(sec, "POST", url, {"member": "M2", "status": "done"}).status_code == 404
    m1_done = {"member": "M1", "status": "done"}
    assert_statuses("POST", url, {d.member1: 403, d.orgdept: 403, d.sec2: 404}, m1_done)
    closed = sec.post(close)
    assert closed.status_code == 200 and len(closed.json()["entries"]) == 1
    assert ScoreEntry.objects.get().source == "task"
    after = send(sec, "POST", url, {"member": "M1", "status": "done"})
    assert after.status_code == 422 and "已结算" in after.json()["detail"]


def test_excuse_needs_a_reason_and_only_a_study_task_takes_a_submission(district):
    d = district
    study = task_of(d)
    url = f"/api/tasks/{study.code}/marks"
    sec = bearer(d.sec1)
    assert "reason" in invalid(sec, "POST", url, {"member": "M1B", "status": "excused"})
    ok = send(sec, "POST", url, {"member": "M1B", "status": "excused", "reason": "出差"})
    assert ok.status_code == 200 and ok.json()["assignments"][1]["status"] == "excused"
    duty = task_of(d, kind="duty", title="值班")
    other = bearer(d.member1).post(f"/api/tasks/{duty.code}/submission", {"text": "x"})
    assert other.status_code == 422 and "学习任务" in other.json()["detail"]
