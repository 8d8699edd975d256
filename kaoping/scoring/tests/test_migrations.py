"""The results stamp's triggers survive the migrations that come after them.

SQLite rebuilds a table to alter it, and the rebuilt table has lost its triggers; a
database migrated step by step over the releases (not the test database, created in one
go) is where that shows. PostgreSQL alters in place, so this runs in the SQLite run."""

import importlib
import re
import sqlite3
from pathlib import Path

import pytest
from django.db import connection

from kaoping.testing.cli import kaoping

stamp = importlib.import_module("kaoping.scoring.migrations.0002_results_stamp")

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite rebuilds tables; PostgreSQL alters them"
)


def _migrate(db: Path, *target: str) -> None:
    kaoping(f"sqlite:///{db}", "migrate", *target, "--verbosity", "0")


def _triggers(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in rows if name.startswith("kp_stamp_")}


def test_a_database_migrated_release_by_release_keeps_every_stamp_trigger(tmp_path):
    expected = {re.match(r"CREATE TRIGGER (\w+)", sql).group(1) for sql in stamp._sqlite_forward()}
    assert "kp_stamp_ledger_scoreentry_insert" in expected
    db = tmp_path / "upgraded.sqlite3"
    _migrate(db, "scoring", "0002")  # the stamp as first released, before ledger 0006
    assert _triggers(db) == expected
    _migrate(db)
    assert _triggers(db) == expected
