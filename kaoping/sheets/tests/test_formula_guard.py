"""Issue 15 item 2: every xlsx the project writes goes through the one cell guard of
kaoping.sheets.xlsx. Text that looks like a formula is put into every text field any export
holds (names of members, branches and items, the archive's profile, notes, claims,
inspections, meetings); every export is downloaded over HTTP and no cell of any of them is
a formula."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kaoping.archive.models import MemberProfile
from kaoping.claims.services import claim_submit
from kaoping.dues.services import dues_payment_record, dues_rate_set
from kaoping.evaluation.models import EvaluationRound
from kaoping.evaluation.tests.support import round_at_vote
from kaoping.inspections.services import finding_record, group_create, inspection_record
from kaoping.jobs.models import JobRun
from kaoping.ledger.services import entry_record
from kaoping.meetings.services import attendance_take, meeting_schedule
from kaoping.orgs.models import Member, Organization
from kaoping.schemes.models import SchemeItem

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x","y")'
PAYLOADS = [HYPERLINK, "+1", "-1+1", "@SUM(1)", "\t=1", "\r=1"]
# A carriage return read back from the XML may come out as a line feed; the others exact.
EXACT = PAYLOADS[:5]


def _formula_text_everywhere(d) -> dict:
    """Formula-looking text in every text field an export shows. Names go in through the
    ORM (the forms refuse a name starting with "="; older rows may hold one)."""
    Member.objects.filter(pk=d.m1.pk).update(name=HYPERLINK)
    Member.objects.filter(pk=d.m1b.pk).update(name="+1")
    Member.objects.filter(pk=d.m2.pk).update(name="-1+1")
    Organization.objects.filter(pk=d.b1.pk).update(name="@SUM(1)")
    Organization.objects.filter(pk=d.b2.pk).update(name="\t=1")
    SchemeItem.objects.filter(scheme=d.scheme, code="D07").update(name="\r=1")
    SchemeItem.objects.filter(scheme=d.scheme, code="B01").update(name=HYPERLINK)
    for member in (d.m1, d.m1b, d.m2):
        member.refresh_from_db()
    MemberProfile.objects.update_or_create(
        member=d.m1,
        defaults={
            "ethnicity": "+1",
            "education": "-1+1",
            "native_place": "@SUM(1)",
            "job": "\t=1",
            "id_number": HYPERLINK[:18],
            "phone": "=1+1",
        },
    )
    d07 = SchemeItem.objects.get(scheme=d.scheme, code="D07")
    b01 = SchemeItem.objects.get(scheme=d.scheme, code="B01")
    for note, evidence in ((HYPERLINK, "+1"), ("\t=1", "\r=1"), ("-1+1", "@SUM(1)")):
        entry_record(
            actor=d.sec1, member=d.m1, item=d07, date=datetime.date(2026, 3, 2), note=note,
            evidence=evidence,
        )  # fmt: skip
    claim_submit(
        actor=d.member1,
        item=b01,
        date=datetime.date(2026, 3, 5),
        description=HYPERLINK,
        proof_text="@SUM(1)",
    )
    group = group_create(actor=d.admin, name="+1", users=[d.supervisor], organizations=[d.b2])
    inspection = inspection_record(
        actor=d.supervisor,
        group=group,
        organization=d.b2,
        date=datetime.date(2026, 5, 6),
        method="camera",
        findings=HYPERLINK,
    )
    finding_record(
        actor=d.supervisor, inspection=inspection, member=d.m2, item=d07, evidence_text="-1+1"
    )
    meeting = meeting_schedule(
        actor=d.sec1,
        branch=d.b1,
        kind="general",
        starts_at=datetime.datetime(2026, 4, 1, 9, tzinfo=datetime.UTC),
        place=HYPERLINK,
        topic="@SUM(1)",
    )
    attendance_take(actor=d.sec1, meeting=meeting, statuses={"M1": "present", "M1B": "absent"})
    dues_rate_set(actor=d.sec1, member=d.m1, year=2026, amount=Decimal("50"))
    dues_payment_record(
        actor=d.sec1,
        member=d.m1,
        period=datetime.date(2026, 1, 1),
        amount=Decimal("50"),
        paid_on=datetime.date(2026, 1, 10),
    )
    round_at_vote(d, method=EvaluationRound.VoteMethod.PAPER)
    return {"group": group}


def _body(response) -> bytes:
    assert response.status_code == 200, response
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def test_no_export_writes_a_formula(client, district):
    d = district
    made = _formula_text_everywhere(d)
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
    downloads["inspections"] = _body(
        client.get(reverse("inspections:xlsx", args=[made["group"].code]))
    )
    client.force_login(d.admin)
    downloads["12371"] = _body(client.get(reverse("archive:export_12371", args=["W"])))
    client.post(reverse("web:entries_export"), {"year": "2026"})
    job = JobRun.objects.get(kind="entries.export")
    assert job.state == "done", job.message
    downloads["ledger job"] = _body(client.get(reverse("jobs:file", args=[job.pk])))

    seen: set[str] = set()
    for name, body in downloads.items():
        book = load_workbook(io.BytesIO(body))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (name, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        seen.add(cell.value)
        assert name and book.worksheets
    assert set(EXACT) <= seen, set(EXACT) - seen
    # Each export whose rows hold user text carried a formula-looking value.
    for name in ("ledger", "results", "dues", "claims", "meetings", "roster", "12371",
                 "inspections", "ledger job", "paper template"):  # fmt: skip
        book = load_workbook(io.BytesIO(downloads[name]))
        values = {c for row in book.worksheets[0].iter_rows(values_only=True) for c in row}
        assert values & set(PAYLOADS) or any(
            isinstance(v, str) and v.startswith(("=", "+", "-", "@", "\t", "\n", "\r"))
            for v in values
        ), name
