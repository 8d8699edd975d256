"""An import confirmation is consumed exactly once (issue 15, item 11: four parallel
confirms started four jobs; one imported, three failed with FileNotFoundError). The second
confirmation, sequential or concurrent, starts nothing and is sent to the first one's job.
The roster's import, on the same pattern: archive/tests/test_roster_import_job.py."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

from kaoping.jobs.models import ImportConfirmation, JobRun
from kaoping.ledger.models import ScoreEntry
from kaoping.testing.concurrency import race
from kaoping.testing.xlsx_files import text_row, upload, xlsx_bytes

ENTRY_HEADER = ("党员编号", "指标代码", "日期", "次数", "说明", "佐证")
ALREADY = "该导入已经确认过，不会重复导入；请查看它的后台任务。"


def entries_preview(client, district) -> str:
    client.force_login(district.sec1)
    data = xlsx_bytes(
        [text_row(1, ENTRY_HEADER), text_row(2, ["M1", "D07", "2026-03-02", "1", "迟到", ""])]
    )
    preview = client.post(reverse("web:entries_import", args=["B1"]), {"file": upload(data)})
    assert preview.status_code == 200
    return preview.context["token"]


@pytest.mark.django_db
def test_a_second_confirmation_starts_nothing_and_goes_to_the_first_job(client, district):
    token = entries_preview(client, district)
    url = reverse("web:entries_import_confirm", args=["B1"])
    first = client.post(url, {"token": token})
    job = JobRun.objects.get()
    assert first.status_code == 302 and job.state == "done"
    second = client.post(url, {"token": token})
    assert second.status_code == 302
    assert second["Location"] == reverse("jobs:detail", args=[job.pk])
    assert [str(m) for m in get_messages(second.wsgi_request)] == [ALREADY]
    assert JobRun.objects.count() == 1 and ScoreEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_confirmations_start_one_job(district):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; concurrency is tested on PostgreSQL")
    token = entries_preview(Client(), district)
    url = reverse("web:entries_import_confirm", args=["B1"])
    clients = [Client() for _ in range(4)]
    for c in clients:
        c.force_login(district.sec1)
    answers = race(*(lambda c=c: c.post(url, {"token": token}) for c in clients))
    job = JobRun.objects.get()
    assert job.state == "done" and ScoreEntry.objects.count() == 1
    assert {a.status_code for a in answers} == {302}
    assert {a["Location"] for a in answers} == {reverse("jobs:detail", args=[job.pk])}
    assert ImportConfirmation.objects.get().job == job
