"""The ledger as the engine sees it, summed in the database: which entries count
(reversals, exemptions, item categories: rules.md sections 3-5) as SQL, for a few branches
(``_year_sql``) or the whole year (``_whole_year_sql``)."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection

from kaoping.schemes.models import Scheme, SchemeItem

from ..engine import (
    ItemRule,
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
