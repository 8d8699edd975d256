"""Records that every export shows and the download of every export over HTTP, shared by
the tests that look at all of them (the formula guard, the office client)."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.urls import reverse

from kaoping.claims.tests.support import a_claim
from kaoping.evaluation.models import EvaluationRound
from kaoping.evaluation.tests.support import round_at_vote
from kaoping.inspections.models import SupervisionGroup
from kaoping.inspections.tests.support import b2_group, find, inspect
from kaoping.jobs.models import JobRun
from kaoping.ledger.services import entry_record
from kaoping.meetings.services import attendance_take
from kaoping.schemes.models import SchemeItem
from kaoping.testing.factories import b1_meeting, dues_paid


def every_export_records(
    d, *, entries: Iterable[tuple], texts: dict[str, str], dues: Decimal
) -> SupervisionGroup:
    """``entries`` as (member, date, note, evidence) of item D07 by the first secretary; one
    claim, one inspection with a finding, one meeting with attendance, a month of dues and
    a paper vote, with ``texts``. Returns the supervision group."""
    d07 = SchemeItem.objects.get(scheme=d.scheme, code="D07")
    for member, date, note, evidence in entries:
        entry_record(actor=d.sec1, member=member, item=d07, date=date, note=note, evidence=evidence)
    a_claim(d, description=texts["description"], proof_text=texts["proof"])
    group = b2_group(d, texts["group"])
    inspection = inspect(d, group, method="camera", findings=texts["findings"])
    find(d, inspection, evidence_text=texts["evidence"])
    meeting = b1_meeting(
        d,
        datetime.datetime(2026, 4, 1, 9, tzinfo=datetime.UTC),
        place=texts["place"],
        topic=texts["topic"],
    )
    attendance_take(actor=d.sec1, meeting=meeting, statuses={"M1": "present", "M1B": "absent"})
    dues_paid(d, d.m1, dues, datetime.date(2026, 1, 10))
    round_at_vote(d, method=EvaluationRound.VoteMethod.PAPER)
    return group


def _body(response) -> bytes:
    assert response.status_code == 200, response
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def every_export_download(client, d, group: SupervisionGroup) -> dict[str, bytes]:
    """Every spreadsheet the project writes, by name, as each role downloads it."""
    downloads: dict[str, bytes] = {}
    client.force_login(d.sec1)
    for name, url in {
        "ledger": reverse("web:entries_xlsx", args=["B1"]) + "?year=2026",
        "results": reverse("web:results_xlsx", args=["B1"]) + "?year=2026",
        "dues": reverse("dues:xlsx", args=["B1"]) + "?month=2026-01",
        "claims": reverse("claims:xlsx", args=["B1"]),
        "meetings": reverse("meetings:attendance_xlsx", args=["B1"]) + "?year=2026",
        "roster": reverse("archive:roster_export", args=["B1"]),
        "roster template": reverse("archive:roster_template"),
        "entries template": reverse("web:entries_template"),
        "dues template": reverse("dues:template"),
        "paper template": reverse("evaluation:paper_template", args=["B1", 2026]),
    }.items():
        downloads[name] = _body(client.get(url))
    client.force_login(d.supervisor)
    downloads["inspections"] = _body(client.get(reverse("inspections:xlsx", args=[group.code])))
    client.force_login(d.admin)
    downloads["12371"] = _body(client.get(reverse("archive:export_12371", args=["W"])))
    client.post(reverse("web:entries_export"), {"year": "2026"})
    job = JobRun.objects.get(kind="entries.export")
    assert job.state == "done", job.message
    downloads["ledger job"] = _body(client.get(reverse("jobs:file", args=[job.pk])))
    return downloads
