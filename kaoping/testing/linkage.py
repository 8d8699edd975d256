"""The linkage attack on the secret ballot (issue 17), PostgreSQL only.

A *snapshot* is what an administrator or a backup holder has: a ``pg_dump`` of the
database, every live row with its ``xmin``/``xmax``/``ctid``, and every dead row version
still on the heap pages (``pageinspect``), decoded column by column. An *attack* tries to
map each voter to the CONTENT of a ballot (the marks, as decoded by a design-specific
``reader``), using everything a program can: transaction ids shared with the voter's rows
(the vote right, audit and notification rows, sessions, jobs...), values shared with rows
written in the voter's transactions (ids, receipts, ciphertexts), and the order of rows
(xmin, xmax, ctid, dump position, primary key, timestamps), across all the snapshots the
attacker holds (a backup taken during the vote and the database after counting).

A random guess puts on average 1 of n voters on their own ballot (the fixed points of a
random permutation, Poisson(1)); ``chance_limit`` is the number of correct links that
chance reaches with probability below 1e-6 over all the orderings tried.
"""

import math
import re
import subprocess
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection

from kaoping.orgs.models import Member

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


# --------------------------------------------------------------------------- taking a snapshot


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


# --------------------------------------------------------------------------- the plaintext scan


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


# --------------------------------------------------------------------------- who is a voter


@dataclass
class Voter:
    member_pk: int
    user_pk: int | None
    tokens: tuple[str, ...]  # code, username, name: as they may appear in a text


def _identity_columns() -> dict[str, dict[str, str]]:
    """Per table, the columns that point at a member or a login: column → 'member'/'user'."""
    user_model = get_user_model()
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Member:
                found[model._meta.db_table][f.column] = "member"
            elif f.is_relation and f.related_model is user_model:
                found[model._meta.db_table][f.column] = "user"
    return found


def _session_user(row: Row) -> int | None:
    from django.contrib.sessions.backends.db import SessionStore

    data = row.values.get("session_data")
    if not isinstance(data, str):
        return None
    try:
        user = SessionStore().decode(data).get("_auth_user_id")
    except Exception:  # noqa: BLE001 - a dead tuple may hold anything
        return None
    return int(user) if user else None


def traces(
    snapshots: list[Snapshot], voters: list[Voter], exclude: set[str]
) -> dict[int, list[Row]]:
    """Per voter (member pk), every row version in any snapshot that names them: a column
    pointing at their member record or login, a session of their login, or their code or
    username in a text (audit before/after, notifications, jobs). Tables in ``exclude``
    (where members are named as candidates on ballots) are left out."""
    columns = _identity_columns()
    by_member = {v.member_pk: v.member_pk for v in voters}
    by_user = {v.user_pk: v.member_pk for v in voters if v.user_pk}
    patterns = [
        (re.compile(rf"(?<![\w-]){re.escape(t)}(?![\w-])"), v.member_pk)
        for v in voters
        for t in v.tokens
    ]
    found: dict[int, list[Row]] = defaultdict(list)
    for snap in snapshots:
        for table, rows in snap.rows.items():
            if table in exclude:
                continue
            for row in rows:
                hits = set()
                for column, kind in columns.get(table, {}).items():
                    value = row.values.get(column)
                    lookup = by_member if kind == "member" else by_user
                    if value in lookup:
                        hits.add(lookup[value])
                if table == "django_session":
                    user = _session_user(row)
                    if user in by_user:
                        hits.add(by_user[user])
                for value in row.values.values():
                    if isinstance(value, str | dict | list) and value:
                        text = value if isinstance(value, str) else repr(value)
                        hits.update(m for p, m in patterns if p.search(text))
                for member in hits:
                    found[member].append(row)
    return found


# --------------------------------------------------------------------------- the attacks


@dataclass
class Ballot:
    """One ballot's content as a reader decoded it, and the row versions that carry it."""

    content: object
    rows: list[Row]


@dataclass
class Result:
    attack: str
    correct: int
    of: int

    def __str__(self) -> str:
        return f"{self.attack}: {self.correct} of {self.of}"


def chance_limit(tries: int, p: float = 1e-6) -> int:
    """The fewest correct links that ``tries`` random guesses reach with probability < p:
    the tail of Poisson(1), the fixed points of a random permutation."""
    k, tail = 0, 1.0
    while tries * tail >= p:
        tail -= math.exp(-1) / math.factorial(k)
        k += 1
    return k


def _evidence_attack(
    snapshots: list[Snapshot],
    ballots: list[Ballot],
    voter_rows: dict[int, list[Row]],
    truth: dict[object, int],
    ballot_tables: set[str],
) -> tuple[Result, Result]:
    """Transaction ids and values: a transaction touched by one voter only ties to them
    every row it wrote, locked or deleted (the "bridge" rows: a ciphertext, an audit row);
    a ballot whose rows share that transaction, or a value of the voter's own rows or of a
    bridge row (an id, a receipt, a ciphertext), is a candidate. Each voter's candidates
    are intersected; a voter is linked when one ballot is left."""
    voters_of_txid: dict[int, set[int]] = defaultdict(set)
    writers_of_txid: dict[int, set[int]] = defaultdict(set)
    for member, rows in voter_rows.items():
        for row in rows:
            for t in row.txids():
                voters_of_txid[t].add(member)
            for t in row.writes():
                writers_of_txid[t].add(member)
    ballots_of_txid: dict[int, set[int]] = defaultdict(set)
    ballots_of_value: dict[str, set[int]] = defaultdict(set)
    for i, ballot in enumerate(ballots):
        for row in ballot.rows:
            for t in row.txids():
                ballots_of_txid[t].add(i)
            for value in row.values.values():
                if (v := norm(value)) is not None:
                    ballots_of_value[v].add(i)
    # A transaction is a voter's own if they alone wrote in it, or alone touched it.
    own = {
        t for t, members in voters_of_txid.items() if len(writers_of_txid.get(t) or members) == 1
    }
    voters_of_txid = {t: writers_of_txid.get(t) or voters_of_txid[t] for t in own}
    trace_ids = {id(r) for rows in voter_rows.values() for r in rows}
    bridges: dict[int, list[Row]] = defaultdict(list)
    for snap in snapshots:
        for row in snap.all_rows():
            if id(row) in trace_ids:
                continue
            for t in row.txids() & own:
                bridges[next(iter(voters_of_txid[t]))].append(row)
    by_txid = by_value = 0
    for member, rows in voter_rows.items():
        mine = {t for r in rows for t in r.txids() & own if voters_of_txid[t] == {member}}
        evidence = [ballots_of_txid[t] for t in mine]
        evidence = [e for e in evidence if e]
        if evidence and _linked(evidence, ballots, truth, member):
            by_txid += 1
        for row in [*rows, *bridges.get(member, [])]:  # the voter's rows: their own keys too
            for value in row.values.values():
                if (v := norm(value)) is not None and ballots_of_value.get(v):
                    evidence.append(ballots_of_value[v])
        for bridge in bridges.get(member, []):
            evidence.extend(ballots_of_txid[t] for t in bridge.txids() if ballots_of_txid.get(t))
        if evidence and _linked(evidence, ballots, truth, member):
            by_value += 1
    n = len(ballots)
    return Result("shared transaction id", by_txid, n), Result(
        "shared transaction id, or a value of the voter's rows or of a row written in their"
        " transactions",
        by_value,
        n,
    )


def _linked(evidence: list[set[int]], ballots: list[Ballot], truth, member: int) -> bool:
    candidates = set.intersection(*evidence)
    return len(candidates) == 1 and truth.get(ballots[candidates.pop()].content) == member


def _orderings(rows_by_owner: dict[object, list[Row]]) -> dict[str, list[object]]:
    """Owners sorted by each key of their rows, per (snapshot, table, key, live/dead)."""
    keyed: dict[str, dict[object, object]] = defaultdict(dict)
    for owner, rows in rows_by_owner.items():
        for row in rows:
            state = "live" if row.live else "dead"
            for key, value in row.keys().items():
                name = f"{row.snapshot}/{row.table}/{key}/{state}"
                old = keyed[name].get(owner)
                if old is None or value < old:
                    keyed[name][owner] = value
    return {
        name: [o for o, _v in sorted(values.items(), key=lambda kv: kv[1])]
        for name, values in keyed.items()
        if len(values) >= 2
    }


def _order_attack(
    voter_rows: dict[int, list[Row]], ballots: list[Ballot], truth: dict[object, int]
) -> tuple[Result, int]:
    """Pair the voters and the ballots by rank in every order both can be sorted by."""
    voter_orders = _orderings(voter_rows)
    ballot_orders = _orderings({i: b.rows for i, b in enumerate(ballots)})
    best, tried = Result("order", 0, len(ballots)), set()
    for vname, vorder in voter_orders.items():
        for bname, border in ballot_orders.items():
            for direction, ordered in (("", border), (" reversed", border[::-1])):
                pairs = tuple(zip(vorder, ordered, strict=False))
                tried.add(pairs)
                correct = sum(truth.get(ballots[b].content) == v for v, b in pairs)
                if correct > best.correct:
                    best = Result(f"order: {vname} ~ {bname}{direction}", correct, len(ballots))
    return best, len(tried)


def attack(
    snapshots: list[Snapshot],
    voters: list[Voter],
    reader: Callable[[Snapshot], list[Ballot]],
    truth: dict[object, int],
    ballot_tables: set[str],
) -> tuple[list[Result], int]:
    """Every attack on the latest snapshot's ballots with all the snapshots held; the
    results and the chance limit for the number of orderings tried."""
    ballots = reader(snapshots[-1])
    voter_rows = traces(snapshots, voters, exclude=ballot_tables)
    results = list(_evidence_attack(snapshots, ballots, voter_rows, truth, ballot_tables))
    best_order, tried = _order_attack(voter_rows, ballots, truth)
    results.append(best_order)
    return results, chance_limit(max(tried, 1) + len(results))
