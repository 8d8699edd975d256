"""The engine's input for a year (or a few branches): the scheme's rules, and the
ledger's sums streamed a batch of whole branches at a time."""

import dataclasses
import json
import sys
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count

from kaoping.orgs.models import Member, Organization
from kaoping.schemes.models import Scheme

from ..engine import (
    EntryInput,
    MemberInput,
    SchemeRules,
    YearInput,
)
from .counted import (
    DISQUALIFIED,
    SUM_BONUS,
    SUM_DEDUCTIONS,
    SUMMED_ITEMS,
    _sum_of_ten_thousandths,
    _year_sql,
)

BATCH_MEMBERS = 5000

# The engine's rules are settings of the scheme under the same names (a test checks it).
RULE_FIELDS = tuple(f.name for f in dataclasses.fields(SchemeRules) if f.name != "ballot_options")


def rules_from(settings: Any) -> SchemeRules:
    """The engine's rules from anything holding the scheme's settings as attributes (a
    ``Scheme`` or a planning draft), so both are read by one code path."""
    return SchemeRules(
        **{f: getattr(settings, f) for f in RULE_FIELDS},
        ballot_options={k: Decimal(str(v)) for k, v in settings.ballot_options.items()},
    )


# cursor); hash and sort in memory instead of spilling (the per-member hash aggregate
# holds ~900 bytes a member: ~0.9 GB at a million members, within work_mem times the
# default hash_mem_multiplier of 2); JIT compiling this one query costs more than it
# saves. Only this session, only while the year's query runs.
_PG_SETTINGS = {"cursor_tuple_fraction": "1.0", "work_mem": "512MB", "jit": "off"}


def _streamed(sql: str, params: list, *, whole_year: bool = True) -> Iterator[list[tuple]]:
    """The rows of ``sql`` in chunks, from a server-side cursor on PostgreSQL.

    Inside a transaction the cursor lives in it; outside one it is a WITH HOLD cursor,
    so the caller may commit (e.g. a job's progress) between chunks. A few branches
    (``whole_year`` false: a page, the API) are a few dozen rows: one plain query, without
    the settings and the cursor's round trips, which cost more than the query itself."""
    if connection.vendor != "postgresql" or not whole_year:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        yield rows
        return
    local = connection.in_atomic_block
    with connection.cursor() as cursor:
        for name, value in _PG_SETTINGS.items():
            cursor.execute(f"SET {'LOCAL ' if local else ''}{name} = '{value}'")
    try:
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(2000):
                yield rows
    finally:
        if not local:
            with connection.cursor() as cursor:
                for name in _PG_SETTINGS:
                    cursor.execute(f"RESET {name}")


def year_batch_count(*, scheme: Scheme, batch_members: int = BATCH_MEMBERS) -> int:
    """How many batches ``year_input_batches`` will yield (for a progress bar)."""
    counts = (
        Member.objects.order_by("branch__code")
        .values("branch__code")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    )
    batches = size = 0
    for n in counts:
        if size >= batch_members:
            batches, size = batches + 1, 0
        size += n
    return batches + (1 if size else 0)


def year_input_batches(
    *, scheme: Scheme, branch_ids: list[int] | None = None, batch_members: int = BATCH_MEMBERS
) -> Iterator[tuple[YearInput, dict[str, tuple[int, int]]]]:
    """The engine's input for ``scheme.year`` in batches of whole branches (ranks and quotas
    are per branch), streamed from a server-side cursor so memory stays flat however many
    members there are. Each batch comes with member code -> (member id, branch id)."""
    sql, params = _year_sql(scheme, branch_ids)
    rules = rules_from(scheme)
    _sum = (lambda v: v) if connection.vendor == "postgresql" else _sum_of_ten_thousandths
    members: list[MemberInput] = []
    entries: list[EntryInput] = []
    tallies: dict[str, dict[str, int]] = {}
    decisions: dict[str, bool] = {}
    previous: dict[str, str] = {}
    ids: dict[str, tuple[int, int]] = {}
    branch = None

    def batch() -> tuple[YearInput, dict[str, tuple[int, int]]]:
        return YearInput(
            rules=rules,
            items=SUMMED_ITEMS,
            members=members,
            entries=entries,
            tallies=tallies,
            decisions=decisions,
            previous_grades=previous,
        ), ids

    options = list(scheme.ballot_options) if branch_ids is None else []
    for rows in _streamed(sql, params, whole_year=branch_ids is None):
        for (
            member_id, code, branch_id, branch_code, status, category,
            deductions, bonus, disqualified, excellent, grade, tally, *counts,
        ) in rows:  # fmt: skip
            if branch_code != branch and len(members) >= batch_members:
                yield batch()
                members, entries, tallies, decisions, previous, ids = [], [], {}, {}, {}, {}
            branch = branch_code
            members.append(
                MemberInput(id=code, branch=branch_code, status=status, category=category)
            )
            ids[code] = (member_id, branch_id)
            if deductions is not None:
                entries.append(EntryInput(code + "/d", code, SUM_DEDUCTIONS, _sum(deductions)))
            if bonus is not None:
                entries.append(EntryInput(code + "/b", code, SUM_BONUS, _sum(bonus)))
            if disqualified:
                entries.append(EntryInput(code + "/q", code, DISQUALIFIED, Decimal(0)))
            if tally is not None:
                # the branch form's tally object, or the whole year's options outside the
                # scheme (SQLite gives an empty object for none)
                tally = json.loads(tally) if isinstance(tally, str) else tally
            if options:
                known = {o: n for o, n in zip(options, counts, strict=True) if n is not None}
                tally = {**known, **tally} if tally else known
            if tally:
                tallies[code] = tally
            if excellent is not None:
                decisions[code] = bool(excellent)
            if grade is not None:
                previous[code] = grade
    if members:
        yield batch()


def year_input(*, scheme: Scheme, branches: Iterable[Organization] | None = None) -> YearInput:
    """Everything the engine needs for ``scheme.year``, for all branches or only some (in
    one piece: for a page or the API; the whole year goes through ``year_input_batches``)."""
    branch_ids = None if branches is None else [b.pk for b in branches]
    parts = [
        data
        for data, _ in year_input_batches(
            scheme=scheme, branch_ids=branch_ids, batch_members=sys.maxsize
        )
    ]
    if parts:
        return parts[0]
    return YearInput(rules=rules_from(scheme), items=SUMMED_ITEMS, members=[], entries=[])
