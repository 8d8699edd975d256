"""Bulk reads and writes below the ORM, for imports of millions of rows: COPY on
PostgreSQL (batched inserts elsewhere) and server-side cursors. Table and column names
come from the code, never from input; values always travel as parameters or COPY data."""

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection
from psycopg.copy import QueuedLibpqWriter


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert many rows fast: COPY on PostgreSQL, one executemany elsewhere. ``rows`` may
    be a generator: with COPY a thread sends the data while the next rows are produced, so
    the database works in parallel with Python (no other query may run meanwhile)."""
    cols = ", ".join(columns)
    with connection.cursor() as cursor:
        if is_postgresql():
            raw = cursor.cursor
            with raw.copy(
                f"COPY {table} ({cols}) FROM STDIN", writer=QueuedLibpqWriter(raw)
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)  # noqa: S608


def stream_rows(sql: str, params: Sequence[Any] = (), size: int = 5000) -> Iterator[tuple]:
    """The rows of a query, fetched a batch at a time (Django's chunked cursor: a named
    server-side cursor on PostgreSQL, so a million rows are never held at once)."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(size):
            yield from rows


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Cyclic garbage collection paused for a bulk pass that allocates millions of small
    objects without cycles (freed as each batch ends): each automatic collection walks
    every live object, Django's included (a quarter of the computation's Python time,
    0.2-0.3 s of writing a district bundle). Not for code whose garbage has cycles
    (jsonschema's errors): it would be kept until the pass ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
