"""The roster import on the shared import pattern (issue 15, items 7 and 11): a large
upload is stored and previewed by a background job, never parsed in the web request; a
preview is confirmed once; the job applies every row or none, naming row and column."""

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

from kaoping.archive.background import roster_import_task
from kaoping.archive.models import MemberChange
from kaoping.jobs.models import ImportConfirmation, JobRun
from kaoping.orgs.models import Member
from kaoping.testing.concurrency import race

from .test_views import row, xlsx_upload

pytestmark = pytest.mark.django_db

IMPORT = reverse("archive:roster_import", args=["B1"])
CONFIRM = reverse("archive:roster_import_confirm", args=["B1"])
ALREADY = "该导入已经确认过，不会重复导入；请查看它的后台任务。"
QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def new_members():
    return [
        row("M9", "钱七", **{"性别": "女", "入党日期": "2020-07-01"}),
        row("M10", "孙八", **{"党员类别": "预备党员"}),
    ]


@pytest.fixture
def loads(monkeypatch):
    """Every time a spreadsheet is parsed (openpyxl's ``load_workbook``)."""
    calls = []
    real = openpyxl.load_workbook

    def spy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    return calls


def test_a_large_roster_upload_is_previewed_by_the_job_not_the_request(
    client, district, settings, loads
):
    settings.KAOPING_IMPORT_INLINE_PREVIEW_BYTES = 1024
    settings.TASKS = QUEUE_ONLY  # jobs wait for a worker, so the request's own work shows
    client.force_login(district.sec1)
    upload = xlsx_upload(new_members())
    assert upload.size > 1024
    response = client.post(IMPORT, {"file": upload})
    check = JobRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[check.pk])
    assert (check.kind, check.state, check.organization) == (
        "roster.import_preview",
        "queued",
        district.b1,
    )
    assert loads == []  # stored and queued; not a row read in the request
    roster_import_task.call(job_id=check.pk)  # the worker
    assert loads
    check.refresh_from_db()
    assert check.state == "done" and check.result["rows"] == 2
    page = client.get(response["Location"]).content.decode()
    assert "已检查 2 行，没有错误；确认后开始导入。新增 2 名党员，更新 0 名。" in page
    assert "确认导入 2 行" in page
    assert not Member.objects.filter(code__in=["M9", "M10"]).exists()

    confirm = check.result["confirm"]
    assert confirm["url"] == CONFIRM
    answer = client.post(confirm["url"], {"token": confirm["token"]})
    job = JobRun.objects.get(kind="roster.import")
    assert answer["Location"] == reverse("jobs:detail", args=[job.pk])
    roster_import_task.call(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.message) == ("done", "已导入 2 名党员的信息。")
    m9, m10 = Member.objects.get(code="M9"), Member.objects.get(code="M10")
    assert (m9.branch, m9.profile.gender) == (district.b1, "female")
    assert (m10.branch, m10.membership) == (district.b1, "probationary")


def test_a_large_roster_with_a_bad_row_fails_its_check_naming_row_and_column(
    client, district, settings
):
    settings.KAOPING_IMPORT_INLINE_PREVIEW_BYTES = 1024
    client.force_login(district.sec1)
    before = (Member.objects.count(), MemberChange.objects.count())
    upload = xlsx_upload([*new_members(), row("M11", "周九", **{"出生日期": "1980-13-01"})])
    response = client.post(IMPORT, {"file": upload})
    check = JobRun.objects.get()
    assert response.status_code == 302 and check.state == "failed"
    assert check.message == "表格有 1 处错误，未导入任何数据。"
    assert check.result["errors"] == [
        {"row": 4, "column": "出生日期", "message": "应为 YYYY-MM-DD，收到“1980-13-01”。"}
    ]
    page = client.get(response["Location"]).content.decode()
    assert '<td class="num">4</td><td>出生日期</td>' in page and "确认导入" not in page
    assert (Member.objects.count(), MemberChange.objects.count()) == before


def test_a_row_gone_bad_after_the_preview_changes_nothing(client, district):
    client.force_login(district.sec1)
    before = MemberChange.objects.count()
    preview = client.post(IMPORT, {"file": xlsx_upload(new_members())})
    assert preview.status_code == 200 and not JobRun.objects.exists()  # small: inline
    # Between the preview and the confirmation M10 joins another branch.
    Member.objects.create(code="M10", name="孙八", branch=district.b2)
    client.post(preview.context["confirm_url"], {"token": preview.context["token"]})
    job = JobRun.objects.get()
    assert (job.kind, job.state) == ("roster.import", "failed")
    assert job.result["errors"] == [
        {
            "row": 3,
            "column": "编号",
            "message": "编号“M10”属于第二党支部，请通过组织关系转接调入。",
        }
    ]
    assert not Member.objects.filter(code="M9").exists()  # the good row is not written
    assert MemberChange.objects.count() == before


def test_confirming_a_roster_preview_twice_imports_once(client, district):
    client.force_login(district.sec1)
    preview = client.post(IMPORT, {"file": xlsx_upload(new_members())})
    token = preview.context["token"]
    first = client.post(CONFIRM, {"token": token})
    job = JobRun.objects.get()
    assert (job.state, job.message) == ("done", "已导入 2 名党员的信息。")
    changes = MemberChange.objects.count()
    second = client.post(CONFIRM, {"token": token})
    assert first["Location"] == second["Location"] == reverse("jobs:detail", args=[job.pk])
    assert [str(m) for m in get_messages(second.wsgi_request)] == [ALREADY]
    assert JobRun.objects.count() == 1 and MemberChange.objects.count() == changes
    assert Member.objects.filter(code__in=["M9", "M10"]).count() == 2
    assert ImportConfirmation.objects.get().job == job


@pytest.mark.django_db(transaction=True)
def test_parallel_roster_confirmations_import_once(district):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; concurrency is tested on PostgreSQL")
    first = Client()
    first.force_login(district.sec1)
    token = first.post(IMPORT, {"file": xlsx_upload(new_members())}).context["token"]
    clients = [Client() for _ in range(4)]
    for c in clients:
        c.force_login(district.sec1)
    answers = race(*(lambda c=c: c.post(CONFIRM, {"token": token}) for c in clients))
    job = JobRun.objects.get()
    assert job.state == "done" and Member.objects.filter(code="M9").count() == 1
    assert {a["Location"] for a in answers} == {reverse("jobs:detail", args=[job.pk])}
