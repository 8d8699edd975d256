"""Background jobs: progress while running, the result page, files, and who sees what."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks import task

from kaoping.jobs.models import JobRun
from kaoping.jobs.services import JobOutcome, job_execute, job_start
from kaoping.ledger.services import entry_record
from kaoping.schemes.models import SchemeItem
from kaoping.scoring.models import MemberResult
from kaoping.testing.factories import ledger_entry
from kaoping.testing.sheets import export_rows

pytestmark = pytest.mark.django_db


@task()
def noop_task(job_id: int) -> str:
    return job_execute(job_id=job_id, work=lambda job, progress: JobOutcome(summary="好"))


def test_progress_is_visible_while_the_job_runs(client, district):
    d = district
    client.force_login(d.sec1)
    seen = {}

    def work(job, progress):
        progress(3, 10, "第一批")
        # Another request sees the job running, with a polling progress fragment.
        fragment = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true")
        seen["fragment"] = fragment.content.decode()
        seen["row"] = JobRun.objects.values("state", "done", "total", "message").get(pk=job.pk)
        progress(10)
        return JobOutcome(summary="完成了")

    job = JobRun.objects.create(kind="t", title="测试", actor=d.sec1, created_at=_now())
    assert job_execute(job_id=job.pk, work=work) == "done"
    assert seen["row"] == {"state": "running", "done": 3, "total": 10, "message": "第一批"}
    assert 'hx-trigger="every 1s"' in seen["fragment"]
    assert '<progress class="job" max="10" value="3">' in seen["fragment"]
    job.refresh_from_db()
    assert job.state == "done" and job.done == job.total == 10 and job.message == "完成了"
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "已完成" in page and "完成了" in page and "hx-trigger" not in page
    # A job runs once: a second delivery of the task does nothing.
    assert job_execute(job_id=job.pk, work=work) == "skipped"


def _now():
    from django.utils import timezone

    return timezone.now()


def test_a_failing_job_is_recorded_and_changes_nothing(district):
    def work(job, progress):
        raise RuntimeError("boom")

    job = JobRun.objects.create(kind="t", title="测试", created_at=_now())
    assert job_execute(job_id=job.pk, work=work) == "failed"
    job.refresh_from_db()
    assert job.state == "failed" and "出错" in job.message and job.finished_at is not None


def test_recompute_runs_as_a_job_with_progress_and_result(client, district):
    d = district
    ledger_entry(d, d.m1, "D07", datetime.date(2026, 3, 2), actor=d.sec1)
    client.force_login(d.sec1)
    assert client.post(reverse("web:results_compute"), {"year": "2026"}).status_code == 403
    client.force_login(d.member1)
    assert client.post(reverse("web:results_compute"), {"year": "2026"}).status_code == 404
    client.force_login(d.admin)
    assert 'action="/jobs/compute/"' in client.get(reverse("jobs:list")).content.decode()
    response = client.post(reverse("web:results_compute"), {"year": "2026"}, follow=True)
    job = JobRun.objects.get(kind="results.compute")
    assert response.redirect_chain[-1][0] == reverse("jobs:detail", args=[job.pk])
    assert job.state == "done" and job.result == {"year": 2026, "members": 4}
    assert job.total >= 1 and job.done == job.total
    assert "4 名党员" in response.content.decode()
    assert MemberResult.objects.filter(year=2026).count() == 4
    assert client.post(reverse("web:results_compute"), {"year": "1999"}).status_code == 404


def test_compute_command_prints_progress(district, capsys):
    out = io.StringIO()
    call_command("compute", "--year", "2026", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[1/1] ") and "4 名党员" in lines[0]
    assert lines[-1] == "computed 2026: 4 members"


def test_export_job_leaves_a_file_only_its_owner_and_admins_get(client, district):
    d = district
    item = SchemeItem.objects.get(scheme=d.scheme, code="D07")
    entry_record(actor=d.sec1, member=d.m1, item=item, date=datetime.date(2026, 3, 2))
    entry_record(actor=d.sec2, member=d.m2, item=item, date=datetime.date(2026, 3, 3))
    client.force_login(d.sec1)
    response = client.post(reverse("web:entries_export"), {"year": "2026"}, follow=True)
    job = JobRun.objects.get(kind="entries.export")
    assert job.state == "done" and job.actor == d.sec1 and job.result["rows"] == 1
    assert reverse("jobs:file", args=[job.pk]) in response.content.decode()
    download = client.get(reverse("jobs:file", args=[job.pk]))
    assert download.status_code == 200
    rows = export_rows(b"".join(download.streaming_content))
    assert rows[0][0] == "记录编号" and [r[2] for r in rows[1:]] == ["M1"]
    assert "filename*=utf-8''2026-" in download["Content-Disposition"]
    # Others: the same 404 as for a job that does not exist.
    for user in (d.sec2, d.member1, d.outsider):
        client.force_login(user)
        for name in ("jobs:detail", "jobs:file"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404
        assert client.get(reverse(name, args=[job.pk + 999])).status_code == 404
        assert job.title not in client.get(reverse("jobs:list")).content.decode()
    client.force_login(d.member1)
    assert client.post(reverse("web:entries_export"), {"year": "2026"}).status_code == 404


def test_admins_see_jobs_of_their_organisations(client, district):
    d = district
    job = job_start(actor=d.sec1, kind="t", title="支部任务", task=noop_task, organization=d.b1)
    assert job.state == "done"
    client.force_login(d.admin)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 200
    assert "支部任务" in client.get(reverse("jobs:list")).content.decode()
    client.force_login(d.orgdept)  # a reader, not an admin
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_job_list_query_count_is_constant(client, district, django_assert_max_num_queries):
    d = district
    for n in range(20):
        JobRun.objects.create(
            kind="t", title=f"任务{n}", actor=d.sec1, organization=d.b1, created_at=_now()
        )
    client.force_login(d.sec1)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("jobs:list"))
    assert page.status_code == 200 and "任务19" in page.content.decode()
