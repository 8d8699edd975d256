"""What the tests of the database's own rules share (the triggers that keep the ledger and
the audit log append-only, the frozen years): a mark for the PostgreSQL-only ones, and raw
SQL that goes past the ORM."""

import pytest
from django.db import DatabaseError, connection, transaction


def only_on_postgres(reason: str):
    """A mark that skips the test (or module) on any other database, saying why."""
    return pytest.mark.skipif(connection.vendor != "postgresql", reason=reason)


on_postgres = only_on_postgres("database triggers exist on PostgreSQL only")


def raw_sql(sql: str, params=None) -> None:
    """``sql`` run on the connection itself, in a savepoint of its own: a refusal leaves the
    test's transaction usable for its checks afterwards."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def assert_refused(sql: str, match: str) -> None:
    """``sql`` (``raw_sql``'s) fails with a DatabaseError whose text matches ``match``: the
    database itself refused it."""
    with pytest.raises(DatabaseError, match=match):
        raw_sql(sql)
