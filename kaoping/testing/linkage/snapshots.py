"""What an administrator or a backup holder has of the database (a *snapshot*): the
``pg_dump``, every live row with its ``xmin``/``xmax``/``ctid``, and the dead row versions
still on the heap pages (``pageinspect``), decoded column by column; and the plaintext scan
of them."""

import re
import subprocess
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import connection

PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(eq=False)
class Row:
    """One row version: live (in a ``SELECT``) or dead (only on the heap page)."""

    table: str
    values: dict[str, object]
    xmin: int
    xmax: int
    ctid: tuple[int, int]
    live: bool
    dump_pos: int | None = None
    snapshot: str = ""

    def txids(self) -> set[int]:
        return {t for t in (self.xmin, self.xmax) if t}

    def writes(self) -> set[int]:
        """The transactions that wrote this version or replaced it (not a lock's xmax:
        inserting a row that points at a member locks the member's row)."""
        return {t for t in (self.xmin, 0 if self.live else self.xmax) if t}

    def keys(self) -> dict[str, object]:
        """The orders an attacker can sort this row by."""
        found: dict[str, object] = {"xmin": self.xmin, "ctid": self.ctid}
        if self.xmax:
            found["xmax"] = self.xmax
        if self.dump_pos is not None:
            found["dump"] = self.dump_pos
        first = next(iter(self.values.values()), None)
        if first is not None:  # a number sorts as a number, a uuid or text as text
            found["pk"] = first if isinstance(first, int) else norm(first)
        for name, value in self.values.items():
            if isinstance(value, datetime):
                found[f"time:{name}"] = value
        return found


@dataclass
class Snapshot:
    label: str
    rows: dict[str, list[Row]]
    dump: str
    page_bytes: dict[str, bytes] = field(default_factory=dict)

    def all_rows(self) -> Iterable[Row]:
        for rows in self.rows.values():
            yield from rows


def norm(value) -> str | None:
    """A value as an attacker compares it across tables, dumps and dead tuples."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    text = str(value)
    if re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text):
        return text.replace("-", "")
    return text or None


def _tables(cursor) -> list[tuple[str, int]]:
    cursor.execute(
        "SELECT c.relname, c.reltoastrelid FROM pg_class c JOIN pg_namespace n"
        " ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'"
        " ORDER BY c.relname"
    )
    return cursor.fetchall()


def _types(cursor, table: str) -> list[tuple[str, str, bool]]:
    """Every column in order, dropped ones too (they still hold a place in old tuples)."""
    cursor.execute(
        "SELECT attname, format_type(atttypid, NULL), attisdropped FROM pg_attribute"
        " WHERE attrelid = %s::regclass AND attnum > 0 ORDER BY attnum",
        [table],
    )
    return cursor.fetchall()


def _varlena(raw: bytes) -> bytes | None:
    """The payload of an inline varlena (None: toasted or compressed, not decoded)."""
    if not raw:
        return None
    first = raw[0]
    if first == 0x01:  # external TOAST pointer
        return None
    if first & 0x01:  # 1-byte header
        return raw[1 : first >> 1]
    if first & 0x02:  # compressed inline
        return None
    length = int.from_bytes(raw[:4], "little") >> 2
    return raw[4:length]


def _decode(kind: str, raw: bytes | None):
    """One attribute of a dead tuple, from its on-disk bytes."""
    if raw is None:
        return None
    raw = bytes(raw)
    if kind == "boolean":
        return bool(raw[0])
    if kind in ("smallint", "integer", "bigint"):
        return int.from_bytes(raw, "little", signed=True)
    if kind == "uuid":
        return uuid.UUID(bytes=raw)
    if kind in ("timestamp with time zone", "timestamp without time zone"):
        micros = int.from_bytes(raw, "little", signed=True)
        return PG_EPOCH + timedelta(microseconds=micros)
    payload = _varlena(raw)
    if payload is None:
        return raw
    if kind in ("text", "character varying"):
        return payload.decode("utf-8", "replace")
    return payload  # bytea, jsonb (binary; its strings stay readable), numeric...


def _pages(cursor, table: str) -> int:
    cursor.execute(
        "SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", [table]
    )
    return cursor.fetchone()[0]


def _dump(settings: dict) -> str:
    command = [
        "pg_dump",
        "--data-only",
        "--no-owner",
        "--host",
        settings["HOST"] or "127.0.0.1",
        "--port",
        str(settings["PORT"] or 5432),
        "--username",
        settings["USER"],
        settings["NAME"],
    ]
    env = {"PATH": "/usr/bin:/bin"}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout  # noqa: S603


def _dump_positions(dump: str) -> dict[str, dict[str, int]]:
    """Per table, the position of each row (by its first column) in its COPY block."""
    positions: dict[str, dict[str, int]] = {}
    table, n = None, 0
    for line in dump.splitlines():
        if table is None:
            found = re.match(r"COPY public\.(\S+) \(", line)
            if found:
                table, n = found.group(1).strip('"'), 0
                positions[table] = {}
            continue
        if line == "\\.":
            table = None
            continue
        positions[table].setdefault(norm(line.split("\t", 1)[0]), n)
        n += 1
    return positions


def take(label: str) -> Snapshot:
    """A snapshot of the test database as it is committed now (call outside a transaction)."""
    settings = connection.settings_dict
    dump = _dump(settings)
    positions = _dump_positions(dump)
    rows: dict[str, list[Row]] = {}
    page_bytes: dict[str, bytes] = {}
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        for table, toast in _tables(cursor):
            types = _types(cursor, table)
            names = [name for name, _kind, dropped in types if not dropped]
            cursor.execute(
                f'SELECT ctid::text, xmin::text::bigint, xmax::text::bigint, t.* FROM "{table}" t'  # noqa: S608
            )
            live: list[Row] = []
            where = positions.get(table, {})
            for ctid, xmin, xmax, *values in cursor.fetchall():
                block, item = (int(x) for x in ctid.strip("()").split(","))
                row_values = dict(zip(names, values, strict=True))
                first = norm(values[0]) if values else None
                live.append(
                    Row(table, row_values, xmin, xmax, (block, item), True, where.get(first), label)
                )
            seen = {r.ctid for r in live}
            dead: list[Row] = []
            raw = b""
            for block in range(_pages(cursor, table)):
                cursor.execute("SELECT get_raw_page(%s, %s)", [table, block])
                raw += bytes(cursor.fetchone()[0])
                cursor.execute(
                    "SELECT lp, t_xmin::text::bigint, t_xmax::text::bigint, t_attrs"
                    " FROM heap_page_item_attrs(get_raw_page(%s, %s), %s::regclass)"
                    " WHERE lp_flags = 1 AND t_attrs IS NOT NULL",
                    [table, block, table],
                )
                for lp, t_xmin, t_xmax, attrs in cursor.fetchall():
                    if (block, lp) in seen:
                        continue
                    decoded = {
                        name: _decode(kind, attrs[i] if i < len(attrs) else None)
                        for i, (name, kind, dropped) in enumerate(types)
                        if not dropped
                    }
                    dead.append(
                        Row(table, decoded, t_xmin, t_xmax, (block, lp), False, None, label)
                    )
            if toast:
                cursor.execute("SELECT %s::regclass::text", [toast])
                toast_name = cursor.fetchone()[0]
                for block in range(_pages(cursor, toast_name)):
                    cursor.execute("SELECT get_raw_page(%s, %s)", [toast_name, block])
                    raw += bytes(cursor.fetchone()[0])
            rows[table] = live + dead
            page_bytes[table] = raw
    return Snapshot(label, rows, dump, page_bytes)


def word_counts(snapshot: Snapshot, words: Iterable[str]) -> dict[tuple[str, str, str], int]:
    """How often each word occurs, per table, in the heap pages (live and dead tuples,
    TOAST included) and in the table's COPY block of the dump."""
    counts: dict[tuple[str, str, str], int] = {}
    blocks = re.split(r"\nCOPY public\.", snapshot.dump)
    for word in words:
        for table, raw in snapshot.page_bytes.items():
            n = raw.count(word.encode())
            if n:
                counts[("pages", table, word)] = n
        for block in blocks[1:]:
            table = block.split(" ", 1)[0].strip('"')
            n = block.count(word)
            if n:
                counts[("dump", table, word)] = n
    return counts
