"""Temporary staging tables for a bundle import (暂存表): the records of the long lists
are loaded into them as they stream (COPY on PostgreSQL, batched inserts on SQLite), the
checks across records are queries over them, and the writes read them back in order.

They live in the importing transaction only: created inside it, dropped at its end (a
refused import rolls them back with everything else)."""

from django.db import connection

from kaoping.kit.bulk import insert_rows, is_postgresql

TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "kp_stage_member": (
        ("idx", "integer"),
        ("code", "text"),
        ("name", "text"),
        ("branch", "text"),
        ("status", "text"),
        ("membership", "text"),
        ("exemptions", "text"),
    ),
    "kp_stage_entry": (
        ("idx", "integer"),
        ("code", "text"),
        ("member", "text"),
        ("item", "text"),
        ("date", "text"),
        ("occurrences", "bigint"),
        ("points", "text"),
        ("note", "text"),
        ("reverses", "text"),
    ),
    "kp_stage_vote": (
        ("idx", "integer"),
        ("member", "text"),
        ("excellent", "bigint"),
        ("qualified", "bigint"),
        ("basic", "bigint"),
        ("unqualified", "bigint"),
    ),
    "kp_stage_history": (
        ("idx", "integer"),
        ("member", "text"),
        ("year", "bigint"),
        ("grade", "text"),
    ),
    "kp_stage_decision": (
        ("idx", "integer"),
        ("member", "text"),
        ("excellent", "integer"),
        ("note", "text"),
    ),
}
INDEXES = (
    ("kp_stage_member", "code"),
    ("kp_stage_entry", "code"),
    ("kp_stage_entry", "reverses"),
    ("kp_stage_vote", "member"),
)
BATCH = 5000


def create() -> None:
    with connection.cursor() as cursor:
        for table, columns in TABLES.items():
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cols = ", ".join(f"{name} {kind}" for name, kind in columns)
            cursor.execute(f"CREATE TEMP TABLE {table} ({cols})")


def finish_loading() -> None:
    """Index the loaded tables and give the planner their statistics (autovacuum never
    analyses temporary tables)."""
    with connection.cursor() as cursor:
        for table, column in INDEXES:
            cursor.execute(f"CREATE INDEX {table}_{column} ON {table} ({column})")
        if is_postgresql():
            for table in TABLES:
                cursor.execute(f"ANALYZE {table}")


def drop() -> None:
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


class Loader:
    """Buffers rows per table and writes them a batch at a time."""

    def __init__(self):
        self.buffers: dict[str, list[tuple]] = {table: [] for table in TABLES}

    def add(self, table: str, row: tuple) -> None:
        buffer = self.buffers[table]
        buffer.append(row)
        if len(buffer) >= BATCH:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        for name in [table] if table else list(self.buffers):
            rows = self.buffers[name]
            if rows:
                insert_rows(name, [c for c, _ in TABLES[name]], rows)
                self.buffers[name] = []
