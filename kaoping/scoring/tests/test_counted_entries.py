"""Which entries count is written three times: the pure engine (``member_daily_totals``)
and two SQL forms kept for speed (``_counted_conditions`` for a few branches,
``_whole_year_sql`` for the year). This property test checks over random ledgers
(reversals, dated and undated exemptions, items limited to a branch category, a
disqualifying item, dates at the year's edges) that both SQL forms give the engine's
totals, so the three cannot drift apart (issue 18)."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import ImportedEntry, entries_import
from kaoping.schemes.models import ItemExemption, Scheme, SchemeItem
from kaoping.scoring.engine import EntryInput, ItemRule, MemberInput, member_daily_totals
from kaoping.scoring.selectors import year_input

pytestmark = pytest.mark.django_db

YEAR = 2030
ITEMS = {  # code: (kind, points, disqualifies, categories)
    "D": ("deduction", Decimal("1.5"), False, []),
    "B": ("bonus", Decimal("2.25"), False, []),
    "Q": ("deduction", Decimal("0.5"), True, []),
    "R": ("bonus", Decimal("3"), False, ["retired"]),
    "S": ("deduction", Decimal("4.0001"), False, ["in_service"]),
}
EDGES = [datetime.date(YEAR, 1, 1), datetime.date(YEAR, 6, 30), datetime.date(YEAR, 12, 31)]
BOUNDS = [None, datetime.date(YEAR - 1, 12, 31), *EDGES, datetime.date(YEAR + 1, 1, 1)]


@st.composite
def ledgers(draw):
    members = 4  # the district's: M1, M1B (B1), M2 (B2), R01 (retired R1)
    entries = draw(
        st.lists(
            st.tuples(
                st.integers(0, members - 1),
                st.sampled_from(sorted(ITEMS)),
                st.sampled_from(EDGES),
                st.integers(1, 3),
            ),
            max_size=12,
        )
    )
    reversed_ = draw(st.sets(st.integers(0, max(len(entries) - 1, 0)), max_size=4))
    reversals = [(i, draw(st.sampled_from(EDGES))) for i in sorted(reversed_) if i < len(entries)]
    exemptions = {}
    for member, item, a, b in draw(
        st.lists(
            st.tuples(
                st.integers(0, members - 1),
                st.sampled_from(sorted(ITEMS)),
                st.sampled_from(BOUNDS),
                st.sampled_from(BOUNDS),
            ),
            max_size=4,
        )
    ):
        if a is not None and b is not None and b < a:
            a, b = b, a
        exemptions[(member, item)] = (a, b)
    return entries, reversals, exemptions


def _reference(scheme, members) -> dict:
    """The engine's totals over the raw ledger; a dated exemption drops the entries dated
    inside it (the engine's exemptions are undated)."""
    items = {
        i.code: ItemRule(i.code, i.kind, i.disqualifies, frozenset(i.categories) or None)
        for i in scheme.items.all()
    }
    exemptions = list(ItemExemption.objects.filter(member__in=members).select_related("member"))
    undated = {(x.member.code, x.item_code) for x in exemptions if not x.is_dated}
    dated = [x for x in exemptions if x.is_dated]
    rows = list(
        ScoreEntry.objects.filter(year=scheme.year)
        .select_related("member", "item", "reverses")
        .order_by("id")
    )
    dropped = {
        e.code
        for e in rows
        if e.reverses is None
        and any(
            x.member_id == e.member_id and x.item_code == e.item.code and x.covers(e.date)
            for x in dated
        )
    }
    entries = [
        EntryInput(
            e.code, e.member.code, e.item.code, e.points, e.reverses.code if e.reverses else None
        )
        for e in rows
        if e.code not in dropped and (e.reverses is None or e.reverses.code not in dropped)
    ]
    inputs = [
        MemberInput(
            id=m.code,
            branch=m.branch.code,
            status=m.status,
            category=m.branch.category,
            exemptions=frozenset(c for (code, c) in undated if code == m.code),
        )
        for m in members
    ]
    return member_daily_totals(items, inputs, entries)


def _sql_totals(data, codes) -> dict:
    totals = member_daily_totals(data.items, data.members, data.entries)
    return {code: totals[code] for code in codes}


class _Rollback(Exception):
    pass


@settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ledger=ledgers())
def test_both_sql_forms_count_the_entries_the_engine_counts(district, ledger):
    entries, reversals, exemptions = ledger
    members = [district.m1, district.m1b, district.m2, district.r_member]
    try:
        with transaction.atomic():
            scheme = Scheme.objects.create(year=YEAR)
            items = {
                code: SchemeItem.objects.create(
                    scheme=scheme,
                    code=code,
                    kind=kind,
                    name=code,
                    points=points,
                    disqualifies=dq,
                    categories=cats,
                )
                for code, (kind, points, dq, cats) in ITEMS.items()
            }
            for (m, code), (starts_on, ends_on) in exemptions.items():
                ItemExemption.objects.create(
                    member=members[m],
                    item_code=code,
                    reason="x",
                    starts_on=starts_on,
                    ends_on=ends_on,
                )
            rows = [
                ImportedEntry(
                    code=f"E{n}",
                    member_id=members[m].pk,
                    member_code=members[m].code,
                    branch_code=members[m].branch.code,
                    item_id=items[code].pk,
                    item_code=code,
                    date=day,
                    occurrences=k,
                    points=items[code].points * k,
                    note="",
                    reverses_code=None,
                )
                for n, (m, code, day, k) in enumerate(entries)
            ]
            rows += [
                rows[i]._replace(code=f"X{i}", date=day, reverses_code=f"E{i}")
                for i, day in reversals
            ]
            entries_import(actor=None, year=YEAR, rows=rows)
            codes = [m.code for m in members]
            expected = _reference(scheme, members)
            branches = sorted({m.branch for m in members}, key=lambda b: b.code)
            few = year_input(scheme=scheme, branches=branches)
            whole = year_input(scheme=scheme)
            assert _sql_totals(few, codes) == expected
            assert _sql_totals(whole, codes) == expected
            raise _Rollback
    except _Rollback:
        pass
