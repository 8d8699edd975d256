"""Synthetic but realistic data for the benchmarks, written straight into PostgreSQL with
COPY (psycopg 3 ``cursor.copy``).

Shape (per scale, see SCALES): one working committee, party committees of 20 branches,
branches of ~17 members (10% of them retired branches), statuses in realistic shares, a
year of entries per member drawn from the default scheme's items (skewed: absences and
late dues are common, disqualifying items rare), 1% of entries reversed, vote tallies for
every assessed member, last year's grades for a few, a handful of exemptions.

Every ScoreEntry is chained exactly as the application chains it (kaoping/ledger/chain.py,
one chain per year and branch, in date order), so ``kaoping verify-ledger`` passes on the
generated data. Indexes and unique constraints of the ledger are dropped during the COPY
and rebuilt afterwards, and foreign-key triggers are skipped for the session
(``session_replication_role = replica``): the generator writes consistent ids itself.
"""

from __future__ import annotations

import datetime
import io
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

YEAR = 2026
ENTRY_TABLE = "ledger_scoreentry"


@dataclass(frozen=True)
class Scale:
    name: str
    members: int
    branches: int
    entries: int


SCALES = {
    "district": Scale("district", 5_000, 300, 100_000),
    "city": Scale("city", 100_000, 6_000, 2_000_000),
    "province": Scale("province", 1_000_000, 60_000, 20_000_000),
}

# Relative frequency of each template item in a year's ledger (absences, dues common).
ITEM_WEIGHTS = {
    "D01": 30, "D02": 25, "D03": 10, "D04": 6, "D05": 6, "D06": 12, "D07": 3, "D08": 20,
    "D09": 2, "D10": 0.05, "B01": 8, "B02": 3, "B06": 1, "B03": 10, "B04": 4, "B05": 6,
    "R01": 15,
}  # fmt: skip
STATUSES = [
    ("active", 0.962),
    ("lost_contact", 0.01),
    ("under_investigation", 0.008),
    ("transferred_out", 0.01),
    ("deceased", 0.01),
]
BALLOT = ("excellent", "qualified", "basic", "unqualified")


def _tsv(value) -> str:
    if value is None:
        return "\\N"
    text = str(value)
    if any(c in text for c in "\t\n\\\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        text = text.replace("\r", "\\r")
    return text


def _rows_to_copy(cursor, table: str, columns: tuple[str, ...], rows: Iterator[tuple]) -> int:
    """COPY ``rows`` into ``table`` in 4 MB text chunks; returns the row count."""
    count = 0
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with cursor.copy(sql) as copy:
        buf = io.StringIO()
        for row in rows:
            buf.write("\t".join(_tsv(v) for v in row))
            buf.write("\n")
            count += 1
            if buf.tell() > 4_000_000:
                copy.write(buf.getvalue())
                buf = io.StringIO()
        copy.write(buf.getvalue())
    return count


def _pg_cursor():
    """The raw psycopg 3 cursor under Django's connection (for ``copy``)."""
    connection.ensure_connection()
    return connection.connection.cursor()


def _drop_ledger_indexes(cur) -> list[str]:
    """Drop the ledger's secondary indexes and unique constraints; return the DDL to
    rebuild them."""
    cur.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'u'",
        [ENTRY_TABLE],
    )
    constraints = cur.fetchall()
    cur.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        [ENTRY_TABLE, ENTRY_TABLE],
    )
    indexes = cur.fetchall()
    rebuild = []
    for name, definition in constraints:
        cur.execute(f'ALTER TABLE {ENTRY_TABLE} DROP CONSTRAINT "{name}"')
        rebuild.append(f'ALTER TABLE {ENTRY_TABLE} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        cur.execute(f'DROP INDEX "{name}"')
        # A partitioned table's index reads "ON ONLY": rebuild it on every partition too.
        rebuild.append(definition.replace(" ON ONLY ", " ON ", 1))
    return rebuild


def generate(scale: Scale, *, seed: int = 7, log=print) -> dict:
    """Fill the (freshly migrated, empty) database with ``scale``; returns counts."""
    from kaoping.ledger.chain import EntryContent, chain_key, entry_hash
    from kaoping.orgs.models import Member
    from kaoping.schemes.models import Scheme
    from kaoping.schemes.services import scheme_create

    rng = random.Random(seed)
    started = time.perf_counter()
    if Member.objects.exists():
        raise RuntimeError("the benchmark database is not empty")

    scheme = scheme_create(actor=None, year=YEAR)
    scheme_create(actor=None, year=YEAR - 1, copy_from=scheme)
    items = {i.code: i for i in Scheme.objects.get(year=YEAR).items.all()}
    in_service_items = [
        c for c, i in items.items() if not i.categories or "in_service" in i.categories
    ]
    retired_items = [c for c, i in items.items() if not i.categories or "retired" in i.categories]
    weights = {
        "in_service": [ITEM_WEIGHTS.get(c, 1) for c in in_service_items],
        "retired": [ITEM_WEIGHTS.get(c, 1) for c in retired_items],
    }
    choices = {"in_service": in_service_items, "retired": retired_items}

    # Organisations: W -> P0001.. (20 branches each) -> B000001..
    now = timezone.now()
    committees = (scale.branches + 19) // 20
    org_rows = [(1, "W", "机关工委", "committee", None, "in_service", "/W/")]
    for p in range(committees):
        code = f"P{p + 1:04d}"
        org_rows.append((2 + p, code, f"第{p + 1}党委", "party_committee", 1, "in_service",
                         f"/W/{code}/"))  # fmt: skip
    branches = []
    next_id = 2 + committees
    for b in range(scale.branches):
        parent = 2 + b // 20
        code = f"B{b + 1:06d}"
        category = "retired" if rng.random() < 0.1 else "in_service"
        path = f"{org_rows[parent - 1][6]}{code}/"
        org_rows.append((next_id, code, f"第{b + 1}党支部", "branch", parent, category, path))
        branches.append((next_id, code, category))
        next_id += 1

    cur = _pg_cursor()
    with transaction.atomic():
        cur.execute("SET LOCAL session_replication_role = replica")
        _rows_to_copy(
            cur,
            "orgs_organization",
            ("id", "code", "name", "kind", "parent_id", "category", "path"),
            iter(org_rows),
        )
        # Members, spread over branches (sizes vary from ~5 to ~30).
        per_branch = [0] * scale.branches
        for _ in range(scale.members):
            per_branch[rng.randrange(scale.branches)] += 1
        member_rows = []
        status_names = [s for s, _ in STATUSES]
        status_weights = [w for _, w in STATUSES]
        mid = 1
        branch_members: list[list[tuple[int, str, str]]] = []
        for (_bid, _bcode, _cat), size in zip(branches, per_branch, strict=True):
            ms = []
            for _ in range(size):
                status = rng.choices(status_names, status_weights)[0]
                code = f"M{mid:08d}"
                ms.append((mid, code, status))
                member_rows.append(mid)
                mid += 1
            branch_members.append(ms)

        def members_iter():
            for (bid, _bcode, _cat), ms in zip(branches, branch_members, strict=True):
                for m_id, code, status in ms:
                    membership = "probationary" if m_id % 37 == 0 else "full"
                    yield (m_id, code, f"党员{m_id}", bid, status, membership, None)

        _rows_to_copy(
            cur,
            "orgs_member",
            ("id", "code", "name", "branch_id", "status", "membership", "user_id"),
            members_iter(),
        )
        log(f"  organisations and {scale.members} members: {time.perf_counter() - started:.1f}s")

        # Exemptions (0.3% of members, one item each) and last year's grades (3%).
        exemptions: dict[int, str] = {}
        for m_id in member_rows:
            if rng.random() < 0.003:
                exemptions[m_id] = rng.choice(["D01", "D02", "D08"])
        _rows_to_copy(
            cur,
            "schemes_itemexemption",
            ("member_id", "item_code", "reason"),
            ((m, code, "长期病休") for m, code in exemptions.items()),
        )
        _rows_to_copy(
            cur,
            "scoring_graderecord",
            ("member_id", "year", "grade"),
            (
                (m, YEAR - 1, rng.choice(["warning", "qualified", "basic", "excellent"]))
                for m in member_rows
                if rng.random() < 0.03
            ),
        )

        def tallies_iter():
            for ms in branch_members:
                voters = len(ms)
                for m_id, _code, status in ms:
                    if status not in ("active", "lost_contact"):
                        continue
                    counts = [0, 0, 0, 0]
                    bias = rng.random()
                    for _ in range(voters):
                        r = rng.random()
                        counts[
                            0 if r < bias * 0.6 else 1 if r < 0.93 else 2 if r < 0.99 else 3
                        ] += 1
                    for option, count in zip(BALLOT, counts, strict=True):
                        if count:
                            yield (YEAR, m_id, option, count)

        tallies = _rows_to_copy(
            cur, "evaluation_votetally", ("year", "member_id", "option", "count"), tallies_iter()
        )
        log(f"  exemptions, grades, {tallies} tally rows: {time.perf_counter() - started:.1f}s")

        # The ledger: each branch's entries in date order, chained per year and branch.
        rebuild = _drop_ledger_indexes(cur)
        # Transferred and deceased members (2%) get no entries.
        per_member = scale.entries / (scale.members * 0.98)
        day0 = datetime.date(YEAR, 1, 1)
        counters = {"entries": 0, "reversals": 0, "chains": 0}
        heads: list[tuple[str, int, str]] = []
        item_ids = {c: i.pk for c, i in items.items()}
        item_points = {c: i.points for c, i in items.items()}
        recorded_at = now.isoformat()

        def entries_iter():
            eid = 0
            for (_bid, bcode, category), ms in zip(branches, branch_members, strict=True):
                raw = []
                for m_id, mcode, status in ms:
                    if status in ("transferred_out", "deceased"):
                        continue
                    n = max(0, int(rng.gauss(per_member, per_member / 3) + 0.5))
                    picks = rng.choices(choices[category], weights[category], k=n)
                    for item in picks:
                        if exemptions.get(m_id) == item:
                            continue
                        occ = 1 if rng.random() < 0.9 else rng.randint(2, 4)
                        day = day0 + datetime.timedelta(days=rng.randrange(330))
                        raw.append((day, m_id, mcode, item, occ))
                raw.sort(key=lambda r: r[0])
                if not raw:
                    continue
                key = chain_key(YEAR, bcode)
                seq, head = 0, ""
                originals = []
                for day, m_id, mcode, item, occ in raw:
                    eid += 1
                    seq += 1
                    code = f"K{YEAR}-{eid:012X}"
                    points = item_points[item] * occ
                    reverses = None
                    target = None
                    # 1% of entries undo an earlier entry of the branch (same member).
                    if originals and rng.random() < 0.01:
                        target = originals.pop(rng.randrange(len(originals)))
                        day, m_id, mcode, item, occ, points = target[1:7]
                        reverses = target[0]
                    content = EntryContent(
                        code=code,
                        year=YEAR,
                        member=mcode,
                        item=item,
                        date=day.isoformat(),
                        occurrences=occ,
                        points=format(points.normalize(), "f"),
                        reverses=reverses[1] if reverses else "",
                        source="bundle",
                        note="冲销：录入错误" if reverses else "",
                        evidence="",
                    )
                    head = entry_hash(head, content)
                    if reverses is None:
                        originals.append(((eid, code), day, m_id, mcode, item, occ, points))
                    else:
                        counters["reversals"] += 1
                    counters["entries"] += 1
                    yield (
                        eid, code, YEAR, m_id, item_ids[item], day.isoformat(), occ, points,
                        reverses[0] if reverses else None, "bundle", content.note, "", None,
                        recorded_at, key, seq, head,
                    )  # fmt: skip
                heads.append((key, seq, head))

        t0 = time.perf_counter()
        _rows_to_copy(
            cur,
            ENTRY_TABLE,
            (
                "id", "code", "year", "member_id", "item_id", "date", "occurrences", "points",
                "reverses_id", "source", "note", "evidence", "recorded_by_id", "recorded_at",
                "chain_key", "chain_seq", "chain_hash",
            ),
            entries_iter(),
        )  # fmt: skip
        log(
            f"  {counters['entries']} entries ({counters['reversals']} reversals) copied in "
            f"{time.perf_counter() - t0:.1f}s"
        )
        _rows_to_copy(cur, "ledger_ledgerchain", ("key", "length", "head_hash"), iter(heads))
        t0 = time.perf_counter()
        cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for ddl in rebuild:
            cur.execute(ddl)
        log(f"  ledger indexes rebuilt in {time.perf_counter() - t0:.1f}s")
        for table in ("orgs_organization", "orgs_member", ENTRY_TABLE):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
    cur.close()
    _users(branches, branch_members)
    with connection.cursor() as c:
        c.execute("VACUUM (ANALYZE)")
    log(f"  generated in {time.perf_counter() - started:.1f}s")
    return {
        "members": scale.members,
        "branches": scale.branches,
        "entries": counters["entries"],
        "reversals": counters["reversals"],
        "tallies": tallies,
    }


BENCH_PASSWORD = "bench-pass-1"  # noqa: S105 - synthetic benchmark accounts only


def _users(branches, branch_members) -> None:
    """Accounts for the load test: a committee admin, the secretary of the first branch and
    the member account of its first member."""
    from django.contrib.auth import get_user_model

    from kaoping.orgs.models import Member, Organization, RoleAssignment

    User = get_user_model()
    admin = User.objects.create_user("bench-admin", password=BENCH_PASSWORD)
    sec = User.objects.create_user("bench-sec", password=BENCH_PASSWORD)
    mem = User.objects.create_user("bench-member", password=BENCH_PASSWORD)
    index = next(i for i, ms in enumerate(branch_members) if ms)
    first = Organization.objects.get(pk=branches[index][0])
    RoleAssignment.objects.create(
        user=admin, organization=Organization.objects.get(code="W"), role="committee_admin"
    )
    RoleAssignment.objects.create(user=sec, organization=first, role="secretary")
    Member.objects.filter(pk=branch_members[index][0][0]).update(user=mem)
