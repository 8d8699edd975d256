"""Reads for scoring: the engine's input, built with a fixed number of set-based queries
(never one per member), and results as the actor may see them."""

import dataclasses
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet

from kaoping.annotations import Actor
from kaoping.kit.decimals import decimal_text
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import members_visible
from kaoping.schemes.models import Scheme, SchemeItem

from . import stamped_cache
from .engine import (
    EntryInput,
    ItemRule,
    MemberInput,
    MemberResult,
    SchemeRules,
    YearInput,
    compute_year,
)
from .models import MemberResult as StoredResult
from .models import ResultsStamp

# The engine's rules are settings of the scheme under the same names (a test checks it).
RULE_FIELDS = tuple(f.name for f in dataclasses.fields(SchemeRules) if f.name != "ballot_options")


def rules_from(settings: Any) -> SchemeRules:
    """The engine's rules from anything holding the scheme's settings as attributes (a
    ``Scheme`` or a planning draft), so both are read by one code path."""
    return SchemeRules(
        **{f: getattr(settings, f) for f in RULE_FIELDS},
        ballot_options={k: Decimal(str(v)) for k, v in settings.ballot_options.items()},
    )


# The engine sees each member's ledger as at most three sums (set-based in the database):
# deductions, bonus, and a zero-point marker when a disqualifying item counts. The rules
# that decide which entries count (reversals, exemptions, item categories: rules.md §3-§5)
# are applied in SQL below, so the engine gets the same totals it would compute itself.
SUM_DEDUCTIONS = "Σdeductions"
SUM_BONUS = "Σbonus"
DISQUALIFIED = "Σdisqualified"
SUMMED_ITEMS = {
    SUM_DEDUCTIONS: ItemRule(code=SUM_DEDUCTIONS, kind="deduction"),
    SUM_BONUS: ItemRule(code=SUM_BONUS, kind="bonus"),
    DISQUALIFIED: ItemRule(code=DISQUALIFIED, kind="deduction", disqualifies=True),
}
BATCH_MEMBERS = 5000


def _in_list(ids: Iterable[int]) -> str:
    """A literal ``IN`` list of integer ids (ints only, so nothing to escape)."""
    return "(" + ",".join(str(int(i)) for i in ids) + ")" if ids else "(NULL)"


def _counted_conditions(
    scheme: Scheme, branch_ids: list[int] | None, restricted: dict[int, set[str]]
) -> tuple[str, list]:
    """The WHERE conditions (on ``ledger_scoreentry e``) of the entries that count for
    ``scheme.year`` (rules.md §3-§4: not a reversal, not reversed, not exempt on its date,
    its item applies to the member's branch category), with their parameters."""
    category_cond = ""
    category_params: list = []
    if restricted:
        # An item limited to some branch categories counts only in those (rules.md §3);
        # tested only for the (few) entries of such items, so most rows skip the lookup.
        by_category: dict[str, list[int]] = defaultdict(list)
        for item_id, cats in restricted.items():
            for cat in cats:
                by_category[cat].append(item_id)
        in_category = (
            "e.member_id IN (SELECT cm.id FROM orgs_member cm JOIN orgs_organization cb "
            "ON cb.id = cm.branch_id WHERE cb.category = %s)"
        )
        allowed = "".join(
            f" OR (e.item_id IN {_in_list(ids)} AND {in_category})" for ids in by_category.values()
        )
        category_cond = f"AND (e.item_id NOT IN {_in_list(restricted)}{allowed})"
        category_params = list(by_category)
    exempt = (
        "NOT EXISTS (SELECT 1 FROM schemes_itemexemption x JOIN schemes_schemeitem xi "
        "ON xi.code = x.item_code AND xi.scheme_id = %s "
        "WHERE x.member_id = e.member_id AND xi.id = e.item_id "
        # an exemption with a period covers only the entries dated inside it
        "AND (x.starts_on IS NULL OR x.starts_on <= e.date) "
        "AND (x.ends_on IS NULL OR x.ends_on >= e.date))"
    )
    if branch_ids is None:
        # The whole year: reversals and exemptions are rare, so their targets are small
        # hashed sets probed once per entry (the reversals: a partial unique index).
        reversed_cond = (
            "AND e.id NOT IN (SELECT r.reverses_id FROM ledger_scoreentry r "
            "WHERE r.year = %s AND r.reverses_id IS NOT NULL)"
        )
        exempt_members = "SELECT x.member_id FROM schemes_itemexemption x"
        exempt_cond = f"AND (e.member_id NOT IN ({exempt_members}) OR {exempt})"
    else:
        # A few branches: look each of their entries up instead (unique indexes). On
        # PostgreSQL, OFFSET 0 keeps it a probe per entry: as an anti-join the planner may
        # merge with the year's reversals in id order, 23 ms for a branch of late entries
        # at province scale instead of 3.
        fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
        reversed_cond = (
            "AND NOT EXISTS (SELECT 1 FROM ledger_scoreentry r "  # noqa: S608
            f"WHERE r.reverses_id = e.id AND r.year = %s{fence})"
        )
        exempt_cond = f"AND {exempt}"
    member_branch_cond = ""
    if branch_ids is not None:
        members_of = f"SELECT id FROM orgs_member WHERE branch_id IN {_in_list(branch_ids)}"  # noqa: S608
        if connection.vendor == "postgresql":
            # As an array (an init plan): a semi-join here tempted the planner into a
            # parallel plan with a scan of every member, 12 ms instead of 2 at city scale.
            member_branch_cond = f"AND e.member_id = ANY(ARRAY({members_of}))"
        else:
            member_branch_cond = f"AND e.member_id IN ({members_of})"
    sql = f"""e.year = %s
              AND e.reverses_id IS NULL
              {reversed_cond}
              {exempt_cond}
              {category_cond}
              {member_branch_cond}"""
    return sql, [scheme.year, scheme.year, scheme.pk, *category_params]


def _scheme_items(scheme: Scheme) -> list[Any]:
    return list(
        SchemeItem.objects.filter(scheme=scheme).values_list(
            "id", "kind", "disqualifies", "categories"
        )
    )


def _year_sql(scheme: Scheme, branch_ids: list[int] | None) -> tuple[str, list]:
    """One row per member, ordered by branch: the member, its branch, the sums of the
    entries that count, its tallies (a JSON object), its quota decision and last year's
    grade. Works on PostgreSQL and SQLite (exact sums on both, see ``points``). The whole
    year has its own form (``_whole_year_sql``), with the tallies as one column an option."""
    if branch_ids is None:
        return _whole_year_sql(scheme)
    vendor = connection.vendor
    items = _scheme_items(scheme)
    deduction_ids = [i for i, kind, _, _ in items if kind == SchemeItem.Kind.DEDUCTION]
    bonus_ids = [i for i, kind, _, _ in items if kind == SchemeItem.Kind.BONUS]
    disqualifying_ids = [i for i, _, dq, _ in items if dq]
    restricted = {i: set(cats) for i, _, _, cats in items if cats}
    points = _points_sql(vendor)
    tally_agg = (
        "json_object_agg(t.option, t.count)"
        if vendor == "postgresql"
        else "json_group_object(t.option, t.count)"
    )
    counted, counted_params = _counted_conditions(scheme, branch_ids, restricted)
    branch_cond = f"AND m.branch_id IN {_in_list(branch_ids)} AND b.id IN {_in_list(branch_ids)}"
    members_of = f"SELECT id FROM orgs_member WHERE branch_id IN {_in_list(branch_ids)}"  # noqa: S608
    member_branch_cond = f"AND t.member_id IN ({members_of})"
    # Only integer ids and fixed fragments are interpolated; values go in as parameters.
    sql = f"""
        SELECT m.id, m.code, b.id, b.code, m.status, b.category,
               s.deductions, s.bonus, s.disqualified, q.excellent, g.grade, v.tally
        FROM orgs_member m
        JOIN orgs_organization b ON b.id = m.branch_id
        LEFT JOIN (
            SELECT e.member_id,
                   SUM(CASE WHEN e.item_id IN {_in_list(deduction_ids)}
                       THEN {points} END) AS deductions,
                   SUM(CASE WHEN e.item_id IN {_in_list(bonus_ids)}
                       THEN {points} END) AS bonus,
                   MAX(CASE WHEN e.item_id IN {_in_list(disqualifying_ids)}
                       THEN 1 ELSE 0 END) AS disqualified
            FROM ledger_scoreentry e
            WHERE {counted}
            GROUP BY e.member_id
        ) s ON s.member_id = m.id
        LEFT JOIN (
            SELECT t.member_id, {tally_agg} AS tally
            FROM evaluation_votetally t
            WHERE t.year = %s {member_branch_cond}
            GROUP BY t.member_id
        ) v ON v.member_id = m.id
        LEFT JOIN evaluation_quotadecision q ON q.member_id = m.id AND q.year = %s
        LEFT JOIN scoring_graderecord g ON g.member_id = m.id AND g.year = %s
        WHERE 1 = 1 {branch_cond}
        ORDER BY b.code, m.code
    """  # noqa: S608
    params = [*counted_params, scheme.year, scheme.year, scheme.year - 1]
    return sql, params


def _points_sql(vendor: str, alias: str = "e") -> str:
    # PostgreSQL sums numeric exactly; SQLite stores decimals as numbers, so sum integers
    # of ten-thousandths there (points have four decimal places).
    if vendor == "postgresql":
        return f"{alias}.points"
    return f"CAST(ROUND({alias}.points * 10000) AS INTEGER)"


def _whole_year_sql(scheme: Scheme) -> tuple[str, list]:
    """``_year_sql`` for every member: the ledger summed in one pass, as close to a bare
    ``GROUP BY member`` as the rules allow.

    Every entry of the year that is not a reversal is summed per member (``s``: a
    sequential scan and a hash aggregate, no per-entry lookups), with how many entries
    each sum has; the few entries that must not count (reversed, exempt on their date,
    an item outside its branch categories: rules.md §3-§4) are found through indexes,
    each once (``UNION``), summed the same way (``c``) and subtracted. A sum whose
    entries all drop out becomes NULL, as if there had been none, so the engine gets
    exactly the sums of the entries that count. The tallies come as one column an
    option of the scheme (plus a JSON object of any other option, for the engine to
    reject), which is cheaper to read than a JSON object per member."""
    vendor = connection.vendor
    year = scheme.year
    items = _scheme_items(scheme)
    deduction_ids = [i for i, kind, _, _ in items if kind == SchemeItem.Kind.DEDUCTION]
    bonus_ids = [i for i, kind, _, _ in items if kind == SchemeItem.Kind.BONUS]
    disqualifying_ids = [i for i, _, dq, _ in items if dq]
    groups: dict[frozenset[str], list[int]] = defaultdict(list)
    for item_id, _, _, cats in items:
        if cats:
            groups[frozenset(cats)].append(item_id)
    points = _points_sql(vendor)
    sums = f"""SUM(CASE WHEN e.item_id IN {_in_list(deduction_ids)} THEN {points} END) AS d,
               COUNT(CASE WHEN e.item_id IN {_in_list(deduction_ids)} THEN 1 END) AS dn,
               SUM(CASE WHEN e.item_id IN {_in_list(bonus_ids)} THEN {points} END) AS b,
               COUNT(CASE WHEN e.item_id IN {_in_list(bonus_ids)} THEN 1 END) AS bn,
               COUNT(CASE WHEN e.item_id IN {_in_list(disqualifying_ids)} THEN 1 END) AS qn"""
    # the entries that drop out, each once: UNION compares whole rows, the id among them
    columns = "e.id, e.member_id, e.item_id, e.points"
    params: list = [year, year, scheme.pk, year]
    outside = ""
    if groups:
        # An item limited to some branch categories counts only in those (rules.md §3):
        # its entries drop out unless the member's branch is of one of them (an anti-join
        # against the members of those branches, usually the few of a special category).
        for cats, ids in groups.items():
            outside += f"""
            UNION
            SELECT {columns} FROM ledger_scoreentry e
            WHERE e.year = %s AND e.reverses_id IS NULL AND e.item_id IN {_in_list(ids)}
              AND NOT EXISTS (
                  SELECT 1 FROM orgs_member om
                  JOIN orgs_organization ob ON ob.id = om.branch_id
                  WHERE om.id = e.member_id AND ob.category IN ({", ".join(["%s"] * len(cats))})
              )"""  # noqa: S608 - ids and placeholders only
            params += [year, *sorted(cats)]
    params += [year]
    options = list(scheme.ballot_options)
    known = ", ".join(["%s"] * len(options))
    pivot = "".join(
        f", MAX(CASE WHEN t.option = %s THEN t.count END) AS t{n}" for n in range(len(options))
    )
    other_agg = (
        "json_object_agg(t.option, t.count)"
        if vendor == "postgresql"
        else "json_group_object(t.option, t.count)"
    )
    other_cond = f"t.option NOT IN ({known})" if options else "1 = 1"
    sql = f"""
        WITH excluded AS (
            SELECT {columns} FROM ledger_scoreentry r
            JOIN ledger_scoreentry e ON e.id = r.reverses_id
            WHERE r.year = %s AND r.reverses_id IS NOT NULL
              AND e.year = %s AND e.reverses_id IS NULL
            UNION
            SELECT {columns} FROM schemes_itemexemption x
            JOIN schemes_schemeitem xi ON xi.code = x.item_code AND xi.scheme_id = %s
            JOIN ledger_scoreentry e ON e.member_id = x.member_id AND e.item_id = xi.id
            WHERE e.year = %s AND e.reverses_id IS NULL
              -- an exemption with a period covers only the entries dated inside it
              AND (x.starts_on IS NULL OR x.starts_on <= e.date)
              AND (x.ends_on IS NULL OR x.ends_on >= e.date)
            {outside}
        ),
        s AS (
            SELECT e.member_id, {sums}
            FROM ledger_scoreentry e
            WHERE e.year = %s AND e.reverses_id IS NULL
            GROUP BY e.member_id
        ),
        c AS (
            SELECT e.member_id, {sums}
            FROM excluded e
            GROUP BY e.member_id
        ),
        v AS (
            SELECT t.member_id {pivot},
                   {other_agg} FILTER (WHERE {other_cond}) AS other
            FROM evaluation_votetally t
            WHERE t.year = %s
            GROUP BY t.member_id
        )
        SELECT m.id, m.code, b.id, b.code, m.status, b.category,
               CASE WHEN s.dn > COALESCE(c.dn, 0) THEN s.d - COALESCE(c.d, 0) END,
               CASE WHEN s.bn > COALESCE(c.bn, 0) THEN s.b - COALESCE(c.b, 0) END,
               CASE WHEN s.qn > COALESCE(c.qn, 0) THEN 1 ELSE 0 END,
               q.excellent, g.grade, v.other {"".join(f", v.t{n}" for n in range(len(options)))}
        FROM orgs_member m
        JOIN orgs_organization b ON b.id = m.branch_id
        LEFT JOIN s ON s.member_id = m.id
        LEFT JOIN c ON c.member_id = m.id
        LEFT JOIN v ON v.member_id = m.id
        LEFT JOIN evaluation_quotadecision q ON q.member_id = m.id AND q.year = %s
        LEFT JOIN scoring_graderecord g ON g.member_id = m.id AND g.year = %s
        ORDER BY b.code, m.code
    """  # noqa: S608
    params += [*options, *options, year, year, year - 1]
    return sql, params


def counted_occurrences(
    *, scheme: Scheme, branch_ids: list[int], item_codes: Iterable[str]
) -> dict[tuple[str, str], tuple[int, Decimal]]:
    """(member code, item code) -> (occurrences, recorded points) of the entries that count
    (the same rules as the year's sums), for the given items: what a draft scheme that
    re-prices those items needs (planning)."""
    codes = list(item_codes)
    items = _scheme_items(scheme)
    restricted = {i: set(cats) for i, _, _, cats in items if cats}
    wanted = list(
        SchemeItem.objects.filter(scheme=scheme, code__in=codes).values_list("id", flat=True)
    )
    if not wanted:
        return {}
    counted, params = _counted_conditions(scheme, branch_ids, restricted)
    exact = connection.vendor == "postgresql"
    points = "e.points" if exact else "CAST(ROUND(e.points * 10000) AS INTEGER)"
    sql = f"""
        SELECT m.code, i.code, SUM(e.occurrences), SUM({points})
        FROM ledger_scoreentry e
        JOIN orgs_member m ON m.id = e.member_id
        JOIN schemes_schemeitem i ON i.id = e.item_id
        WHERE {counted} AND e.item_id IN {_in_list(wanted)}
        GROUP BY m.code, i.code
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            (member, item): (int(n), total if exact else _sum_of_ten_thousandths(total))
            for member, item, n, total in cursor.fetchall()
        }


def _sum_of_ten_thousandths(value: Any) -> Decimal:
    """SQLite's integer sum back to the ledger's four decimal places (PostgreSQL sums
    numeric exactly and returns that already)."""
    return Decimal(int(value)).scaleb(-4)


# Every row is read, so plan for the whole result, not the first rows (the default for a
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


# --------------------------------------------------------------------------- live results
# A branch's live results are cached under its results stamp (``ResultsStamp``, kept by
# database triggers): any change to what they depend on gives the branch a new stamp and
# so a new key. The stamp is read before the results are computed, so what is stored
# under a stamp is never older than the stamp (a change committed in between only makes
# it newer). Inside a transaction the cache is neither read nor written: the stamp there
# may be the transaction's own, uncommitted and perhaps rolled back.


# A page of many branches (the committee's overview) reads the cache but does not fill
# it: a cache write costs a few queries (the database backend counts its entries), and
# such a page is computed in one engine run anyway.
CACHE_WRITE_BRANCHES = 25


@dataclass(frozen=True)
class LiveResults:
    """One branch's live results (by rank) with the tallies and quota decisions they
    were computed from, by member code."""

    results: list[MemberResult]
    tallies: dict[str, dict[str, int]]
    decisions: dict[str, bool]


results_cache_usable = stamped_cache.usable


def results_stamps(*, branch_ids: Iterable[int]) -> dict[int, str]:
    """branch id -> its stamp and the schemes' stamp, in one primary-key lookup."""
    ids = list(branch_ids)
    tokens = dict(
        ResultsStamp.objects.filter(key__in=[ResultsStamp.GLOBAL, *ids]).values_list("key", "token")
    )
    schemes = tokens.get(ResultsStamp.GLOBAL, "-")
    return {b: f"{schemes}.{tokens.get(b, '-')}" for b in ids}


def _live_key(scheme: Scheme, branch_id: int, stamp: str) -> str:
    return f"kp:live:{scheme.pk}:{scheme.year}:{branch_id}:{stamp}"


def _computed(scheme: Scheme, branches: list[Organization]) -> dict[int, LiveResults]:
    """Live results of some branches, from one set of queries and one engine run. The
    scheme's rules are read again here, after the stamps: a caller's older copy of the
    scheme must not be cached under a newer stamp."""
    scheme = Scheme.objects.get(pk=scheme.pk)
    parts = year_input_batches(
        scheme=scheme, branch_ids=[b.pk for b in branches], batch_members=sys.maxsize
    )
    data, ids = next(parts, (None, {}))
    live = {b.pk: LiveResults(results=[], tallies={}, decisions={}) for b in branches}
    if data is None:
        return live
    branch_of = {code: branch_id for code, (_, branch_id) in ids.items()}
    for r in compute_year(data):
        live[branch_of[r.member]].results.append(r)
    for code, tally in data.tallies.items():
        live[branch_of[code]].tallies[code] = tally
    for code, excellent in data.decisions.items():
        live[branch_of[code]].decisions[code] = excellent
    return live


def live_results_by_branch(
    *, scheme: Scheme, branches: Iterable[Organization], stamps: dict[int, str] | None = None
) -> dict[int, LiveResults]:
    """branch id -> its live results, from the cache where the stamps match, the others
    computed together in one engine run and cached. ``stamps`` (from ``results_stamps``)
    when the caller has read them already."""
    branches = list(branches)
    if not results_cache_usable():
        return _computed(scheme, branches)
    if stamps is None:
        stamps = results_stamps(branch_ids=[b.pk for b in branches])
    keys = {b.pk: _live_key(scheme, b.pk, stamps[b.pk]) for b in branches}
    found = stamped_cache.get_many(keys.values())
    live = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [b for b in branches if b.pk not in live]
    if missing:
        computed = _computed(scheme, missing)
        if len(missing) <= CACHE_WRITE_BRANCHES:
            stamped_cache.set_many({keys[pk]: value for pk, value in computed.items()})
        live |= computed
    return live


def live_results_of_branch(
    *, scheme: Scheme, branch: Organization, stamp: str | None = None
) -> LiveResults:
    """One branch's live results (ranks and the quota are per branch, so this is exact)."""
    stamps = None if stamp is None else {branch.pk: stamp}
    return live_results_by_branch(scheme=scheme, branches=[branch], stamps=stamps)[branch.pk]


def live_results(*, scheme: Scheme, branches: Iterable[Organization]) -> list[MemberResult]:
    """Live results of the branches in the engine's order (by branch code, then rank):
    the same list as ``compute_year(year_input(...))`` over them."""
    branches = sorted(branches, key=lambda b: b.code)
    live = live_results_by_branch(scheme=scheme, branches=branches)
    return [r for b in branches for r in live[b.pk].results]


def live_result_of_member(*, scheme: Scheme, member: Member) -> MemberResult | None:
    """The member's live result (computed with their whole branch)."""
    for result in live_results(scheme=scheme, branches=[member.branch]):
        if result.member == member.code:
            return result
    return None


def stored_results(*, actor: Actor, year: int) -> QuerySet[StoredResult]:
    """Stored results of ``year`` that ``actor`` may see."""
    visible = members_visible(actor=actor).values("id")
    return (
        StoredResult.objects.filter(year=year, member__in=visible)
        .select_related("member", "branch")
        .order_by("branch__code", "rank", "member__code")
    )


def results_document(*, year: int) -> dict:
    """The results document of bundle.md, from the stored results (all members)."""
    rows = (
        StoredResult.objects.filter(year=year)
        .select_related("member", "branch")
        .order_by("branch__code", "member__code")
    )
    members = [
        {
            "member": r.member.code,
            "branch": r.branch.code,
            "deductions": decimal_text(r.deductions),
            "bonus": decimal_text(r.bonus),
            "daily": decimal_text(r.daily),
            "democratic_pct": decimal_text(r.democratic_pct),
            "democratic": decimal_text(r.democratic),
            "composite": decimal_text(r.composite),
            "rank": r.rank,
            "grade": r.grade,
            "flags": list(r.flags),
        }
        for r in rows
    ]
    members.sort(key=lambda m: (m["branch"], m["rank"] is None, m["rank"] or 0, m["member"]))
    return {"format": "kaoping.results/1", "year": year, "members": members}
