"""The tamper-evident chain: `kaoping verify-ledger` finds rows changed, deleted or
inserted outside the application (here: by editing the database directly)."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kaoping.ledger.models import LedgerChain, ScoreEntry
from kaoping.ledger.selectors import ledger_verify
from kaoping.ledger.services import entry_record, entry_reverse


@pytest.fixture
def entries(district):
    d01 = district.scheme.items.get(code="D01")
    made = [
        entry_record(actor=district.sec1, member=m, item=d01, date=datetime.date(2026, 3, day))
        for day, m in [(1, district.m1), (2, district.m1b), (3, district.m1)]
    ]
    made.append(entry_reverse(actor=district.sec1, entry=made[0], reason="补假条"))
    entry_record(actor=district.sec2, member=district.m2, item=d01, date=datetime.date(2026, 3, 4))
    return made


def raw(sql: str, params=()) -> None:
    """Edit the database behind the application's back (on PostgreSQL, as a superuser
    who switches the ledger's triggers off for this transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def test_intact_ledger_verifies(entries):
    assert ledger_verify() == []
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    assert "5 entries verified" in out.getvalue()
    assert LedgerChain.objects.get(key="2026/B1").length == 4
    assert [e.chain_seq for e in entries] == [1, 2, 3, 4]


def test_changed_row_is_reported(entries):
    raw("UPDATE ledger_scoreentry SET points = 0.5 WHERE id = %s", [entries[1].pk])
    problems = ledger_verify()
    assert problems == [
        f"2026/B1 #2 ({entries[1].code}): changed since it was recorded (or its predecessor was)"
    ]
    with pytest.raises(CommandError, match="评分台账不完整"):
        call_command("verify_ledger", stdout=io.StringIO(), stderr=io.StringIO())


def test_deleted_row_is_reported(entries):
    raw("DELETE FROM ledger_scoreentry WHERE id = %s", [entries[2].pk])
    assert any("#3–#3 are missing" in p for p in ledger_verify())


def test_deleted_newest_row_is_reported(entries):
    raw("DELETE FROM ledger_scoreentry WHERE id = %s", [entries[3].pk])
    assert any("holds 4 entries but the ledger has 3" in p for p in ledger_verify())


def test_inserted_row_is_reported(entries):
    e = entries[1]
    raw(
        "INSERT INTO ledger_scoreentry (code, year, member_id, item_id, date, occurrences, "
        "points, source, note, evidence, recorded_at, chain_key, chain_seq, chain_hash) "
        "SELECT 'FORGED', year, member_id, item_id, date, occurrences, points, source, note, "
        "evidence, recorded_at, chain_key, 99, chain_hash FROM ledger_scoreentry WHERE id = %s",
        [e.pk],
    )
    problems = ledger_verify()
    assert any("#99 (FORGED): beyond the chain's head" in p for p in problems)
    assert ScoreEntry.objects.filter(code="FORGED").exists()


def test_bundle_import_chains_entries(db):
    import json

    from kaoping.bundles.services import bundle_import
    from kaoping.bundles.tests.test_examples import EXAMPLES

    bundle_import(
        actor=None, data=json.loads((EXAMPLES / "small-district.bundle.json").read_text())
    )
    assert ledger_verify() == []
    assert set(LedgerChain.objects.values_list("key", flat=True)) == {
        "2026/B01",
        "2026/B02",
        "2026/B03",
    }
