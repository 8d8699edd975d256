"""Issue 15 item 2: every xlsx the project writes goes through the one cell guard of
kaoping.sheets.xlsx. Text that looks like a formula is put into every text field any export
holds (names of members, branches and items, the archive's profile, notes, claims,
inspections, meetings); every export is downloaded over HTTP and no cell of any of them is
a formula."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kaoping.archive.models import MemberProfile
from kaoping.orgs.models import Member, Organization
from kaoping.schemes.models import SchemeItem
from kaoping.sheets.tests.support import every_export_download, every_export_records

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
    group = every_export_records(
        d,
        entries=[
            (d.m1, datetime.date(2026, 3, 2), note, evidence)
            for note, evidence in ((HYPERLINK, "+1"), ("\t=1", "\r=1"), ("-1+1", "@SUM(1)"))
        ],
        texts={
            "description": HYPERLINK,
            "proof": "@SUM(1)",
            "group": "+1",
            "findings": HYPERLINK,
            "evidence": "-1+1",
            "place": HYPERLINK,
            "topic": "@SUM(1)",
        },
        dues=Decimal("50"),
    )
    return {"group": group}


def test_no_export_writes_a_formula(client, district):
    d = district
    made = _formula_text_everywhere(d)
    downloads = every_export_download(client, d, made["group"])

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
