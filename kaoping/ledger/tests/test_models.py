"""The ledger is append-only in the application and, on PostgreSQL, in the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from kaoping.ledger.models import LedgerIsAppendOnly, ScoreEntry
from kaoping.testing.database import assert_refused, on_postgres


def test_save_of_existing_entry_is_refused(entry):
    entry.note = "changed"
    with pytest.raises(LedgerIsAppendOnly):
        entry.save()


def test_delete_is_refused(entry):
    with pytest.raises(LedgerIsAppendOnly):
        entry.delete()
    with pytest.raises(LedgerIsAppendOnly):
        ScoreEntry.objects.filter(pk=entry.pk).delete()


def test_queryset_update_is_refused(entry):
    with pytest.raises(LedgerIsAppendOnly):
        ScoreEntry.objects.filter(pk=entry.pk).update(note="x")


@on_postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_scoreentry SET note = 'tampered'",
        "DELETE FROM ledger_scoreentry",
    ],
)
def test_postgres_trigger_refuses_raw_update_and_delete(entry, sql):
    assert_refused(sql, "Cannot update or delete")
    entry_db = ScoreEntry.objects.get(pk=entry.pk)
    assert entry_db.note == entry.note


@on_postgres
def test_postgres_trigger_refuses_truncate(entry):
    with pytest.raises(DatabaseError) as excinfo:  # noqa: SIM117
        with transaction.atomic(), connection.cursor() as cursor:
            # Settle the deferred foreign-key checks of this test's own inserts first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL kaoping.allow_truncate = 'off'")
            cursor.execute("TRUNCATE ledger_scoreentry CASCADE")
    assert "append-only" in str(excinfo.value), str(excinfo.value)
    assert ScoreEntry.objects.filter(pk=entry.pk).exists()
