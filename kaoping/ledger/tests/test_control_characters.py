"""Issue 15 item 6: a control character in a note is refused on every path (form, API,
spreadsheet, bundle), naming the field and changing nothing; a row that already holds one
(stored before the inputs refused it) still exports."""

import datetime
import io
import json

import pytest
from django.urls import reverse
from openpyxl import Workbook

from kaoping.bundles.services import BundleError, bundle_import
from kaoping.jobs.models import JobRun
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import ENTRY_COLUMNS, ImportedEntry, entries_import
from kaoping.schemes.models import SchemeItem
from kaoping.sheets.xlsx import read_rows
from kaoping.testing.sheets import export_rows

pytestmark = pytest.mark.django_db

POISON = "poison\x01"


def _item(d, code="D07"):
    return SchemeItem.objects.get(scheme=d.scheme, code=code)


def _workbook_rows(body: bytes) -> list[tuple]:
    return export_rows(body)


def test_an_older_row_with_a_control_character_still_exports(client, district):
    d = district
    # The bulk path below the checks (COPY / executemany), as rows stored before them.
    entries_import(
        actor=None,
        year=2026,
        rows=[
            ImportedEntry(
                code="OLD1",
                member_id=d.m1.pk,
                member_code="M1",
                branch_code="B1",
                item_id=_item(d).pk,
                item_code="D07",
                date=datetime.date(2026, 3, 2),
                occurrences=1,
                points=_item(d).points,
                note=POISON,
                reverses_code=None,
                evidence="ev\x1fidence",
            )
        ],
    )
    assert ScoreEntry.objects.get(code="OLD1").note == POISON
    client.force_login(d.sec1)
    response = client.get(reverse("web:entries_xlsx", args=["B1"]) + "?year=2026")
    assert response.status_code == 200
    rows = _workbook_rows(b"".join(response.streaming_content))
    old = next(r for r in rows[1:] if r[0] == "OLD1")
    assert old[12] == "poison" and old[13] == "evidence"
    # The district's ledger export job.
    client.force_login(d.admin)
    client.post(reverse("web:entries_export"), {"year": "2026"})
    job = JobRun.objects.get(kind="entries.export")
    assert job.state == "done", job.message
    download = client.get(reverse("jobs:file", args=[job.pk]))
    rows = _workbook_rows(b"".join(download.streaming_content))
    assert any(r[0] == "OLD1" and r[12] == "poison" for r in rows[1:])


def test_the_entry_form_refuses_a_control_character(client, district):
    d = district
    client.force_login(d.sec1)
    response = client.post(
        reverse("web:entry_create", args=["B1"]),
        {
            "year": "2026",
            "member": d.m1.pk,
            "item": _item(d).pk,
            "date": "2026-04-02",
            "occurrences": "1",
            "note": POISON,
            "evidence": "",
        },
    )
    assert response.status_code in (200, 400, 422)
    assert "“说明”含有不允许的控制字符" in response.content.decode()
    assert not ScoreEntry.objects.exists()


def test_the_api_refuses_a_control_character(client, district):
    client.force_login(district.sec1)
    response = client.post(
        "/api/years/2026/entries",
        {"member": "M1", "item": "D01", "date": "2026-05-06", "note": POISON},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert "控制字符" in response.json()["errors"]["note"][0]
    assert not ScoreEntry.objects.exists()


def test_a_spreadsheet_refuses_a_control_character(district):
    # An xlsx (XML 1.0) cannot hold U+0001 at all; DEL and the C1 controls it can.
    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in ENTRY_COLUMNS])
    sheet.append(["M1", "D07", "2026-03-02", 1, "poison\x7f", ""])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    rows, errors = read_rows(out, ENTRY_COLUMNS)
    assert [(e.row, e.column) for e in errors] == [(2, "说明")]
    assert "控制字符（U+007F）" in errors[0].message
    assert not ScoreEntry.objects.exists()


def test_a_bundle_refuses_a_control_character(district):
    bundle = {
        "format": "kaoping.bundle/1",
        "year": 2026,
        "scheme": {"items": [{"code": "D07", "kind": "deduction", "name": "迟到", "points": 1}]},
        "organizations": [],
        "members": [],
        "entries": [
            {"id": "E1", "member": "M1", "item": "D07", "date": "2026-03-02", "note": POISON}
        ],
    }
    with pytest.raises(BundleError) as refused:
        bundle_import(actor=None, data=json.loads(json.dumps(bundle)))
    assert any(
        "entries[0].note" in m and "控制字符（U+0001）" in m for m in refused.value.errors
    ), refused.value.errors
    assert not ScoreEntry.objects.exists()
