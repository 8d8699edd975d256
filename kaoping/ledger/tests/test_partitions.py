"""On PostgreSQL the ledger is partitioned by year (migration 0007): each year's entries
land in its own partition, made when the year's scheme is created, and the ledger's
guarantees hold on every partition."""

import pytest
from django.apps import apps
from django.db import DatabaseError, IntegrityError, connection, transaction

from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import entry_reverse
from kaoping.schemes.services import scheme_create

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the ledger is partitioned on PostgreSQL only"
)


def _one(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _partition_of(entry: ScoreEntry) -> str:
    (name,) = _one(
        "SELECT tableoid::regclass::text FROM ledger_scoreentry WHERE id = %s", [entry.pk]
    )
    return name


def _refused(sql: str, params=(), *, match: str) -> None:
    with pytest.raises(DatabaseError, match=match):  # noqa: SIM117
        with transaction.atomic(), connection.cursor() as cursor:
            # Settle the fixtures' deferred checks, and check this statement's at once.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL kaoping.allow_truncate = 'off'")
            cursor.execute(sql, params)


# A copy of an entry under a new code and chain position, with columns to override.
_COPY = """
INSERT INTO ledger_scoreentry (code, year, date, occurrences, points, source, note, evidence,
    recorded_at, item_id, member_id, chain_hash, chain_key, chain_seq, reverses_id)
SELECT %s, {year}, date, occurrences, points, source, note, evidence, recorded_at, item_id,
    member_id, chain_hash, chain_key, chain_seq + %s, {reverses}
FROM ledger_scoreentry WHERE id = %s
"""


def test_the_entries_of_a_year_land_in_its_partition(district, entry):
    reversal = entry_reverse(actor=district.sec1, entry=entry, reason="请假条补交")
    assert _partition_of(entry) == _partition_of(reversal) == "ledger_scoreentry_y2026"
    assert ScoreEntry.objects.get(pk=entry.pk).reversed_by == reversal


def test_a_new_year_scheme_makes_the_year_partition(district):
    assert _one("SELECT to_regclass('ledger_scoreentry_y2031')")[0] is None
    scheme_create(actor=district.admin, year=2031)
    bound = _one(
        "SELECT pg_get_expr(relpartbound, oid) FROM pg_class "
        "WHERE oid = 'ledger_scoreentry_y2031'::regclass"
    )[0]
    assert bound == "FOR VALUES IN ('2031')"


def test_rows_of_a_year_already_in_the_default_partition_stay_there(district, entry):
    with connection.cursor() as cursor:
        cursor.execute(_COPY.format(year=2040, reverses="NULL"), ["X2040", 1000, entry.pk])
    scheme_create(actor=district.admin, year=2040)  # no partition, and no error
    assert _one("SELECT to_regclass('ledger_scoreentry_y2040')")[0] is None
    assert _partition_of(ScoreEntry.objects.get(code="X2040")) == "ledger_scoreentry_default"


def test_every_partition_refuses_update_delete_and_truncate(entry):
    for sql in (
        "UPDATE ledger_scoreentry_y2026 SET note = 'tampered'",
        "DELETE FROM ledger_scoreentry_y2026",
    ):
        _refused(sql, match="Cannot update or delete")
    _refused(
        "TRUNCATE ledger_scoreentry_y2026",
        match="append-only; TRUNCATE of ledger_scoreentry_y2026",
    )
    assert ScoreEntry.objects.get(pk=entry.pk).note == entry.note


def test_a_reversal_of_a_missing_entry_is_refused(entry):
    _refused(
        _COPY.format(year="year", reverses="%s"),
        ["X1", 1000, 987654321, entry.pk],
        match="reverses_id = 987654321: there is no such ledger entry",
    )


def test_one_reversal_per_entry_and_one_code_per_year_hold_in_the_database(district, entry):
    entry_reverse(actor=district.sec1, entry=entry, reason="请假条补交")
    _refused(
        _COPY.format(year="year", reverses="%s"),
        ["X2", 1000, entry.pk, entry.pk],
        match="reverses_id_year_idx",
    )
    # over the reversals only (about 1% of the ledger), not over every entry
    (definition,) = _one(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'ledger_scoreentry_reverses_id_key'"
    )
    assert definition.startswith("CREATE UNIQUE INDEX")
    assert definition.endswith("WHERE (reverses_id IS NOT NULL)")
    with pytest.raises(IntegrityError, match="code_year_key"):  # noqa: SIM117
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_COPY.format(year="year", reverses="NULL"), [entry.code, 1000, entry.pk])


def test_every_link_to_an_entry_is_checked_by_a_trigger(db):
    """A field pointing at an entry holds no foreign key (the partitioned ledger allows
    none), so each must have the kp_entry_exists trigger; a new one without it fails here."""
    links = {
        (model._meta.db_table, field.column)
        for model in apps.get_models()
        for field in model._meta.local_fields
        if field.is_relation and field.related_model is ScoreEntry
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgargs FROM pg_trigger "
            "WHERE tgname = 'kp_entry_exists' AND tgparentid = 0"
        )
        checked = {(table, bytes(args).decode().rstrip("\x00")) for table, args in cursor}
    assert len(links) == 7
    assert links == checked
