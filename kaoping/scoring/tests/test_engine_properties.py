"""Property tests of the scoring engine (hypothesis)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kaoping.scoring.engine import (
    EntryInput,
    Grade,
    MemberInput,
    SchemeRules,
    YearInput,
    compute_year,
    daily_score,
    democratic_percentage,
    quota_places,
)

from .support import ITEMS

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, database=None)
DEFAULT_RULES = SchemeRules()
STATUSES = ["active", "active", "active", "lost_contact", "under_investigation", "deceased"]


def points(max_value: int = 40) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=0, max_value=max_value, places=1)


rules_strategy = st.builds(
    SchemeRules,
    excellent_quota=st.sampled_from([Decimal("0.15"), Decimal("0.2"), Decimal("0.5")]),
    quota_rounding=st.sampled_from(["floor", "ceil", "round_half_up"]),
)
tally_strategy = st.dictionaries(
    st.sampled_from(list(DEFAULT_RULES.ballot_options)), st.integers(0, 12), max_size=4
)


@st.composite
def years(draw: st.DrawFn, rules: st.SearchStrategy[SchemeRules] = rules_strategy) -> YearInput:
    """Small years: up to 3 branches, tallies skewed high so that many reach 90."""
    count = draw(st.integers(1, 24))
    members = [
        MemberInput(
            id=f"M{n:02d}",
            branch=draw(st.sampled_from(["B1", "B2", "B3"])),
            status=draw(st.sampled_from(STATUSES)),
            category=draw(st.sampled_from(["in_service", "retired"])),
            exemptions=draw(st.frozensets(st.sampled_from(list(ITEMS)), max_size=1)),
        )
        for n in range(count)
    ]
    ids = [m.id for m in members]
    raw = draw(
        st.lists(
            st.tuples(st.sampled_from(ids), st.sampled_from(list(ITEMS)), points(12)),
            max_size=30,
        )
    )
    entries = [EntryInput(f"E{n}", m, item, p) for n, (m, item, p) in enumerate(raw)]
    reversed_targets = draw(st.sets(st.sampled_from([e.id for e in entries]))) if entries else set()
    entries += [
        EntryInput(f"R{n}", next(e.member for e in entries if e.id == t), "D", Decimal(0), t)
        for n, t in enumerate(sorted(reversed_targets))
    ]
    # Unanimous and near-unanimous tallies make composites of 90+ and ties common.
    high_tally = st.one_of(
        st.just({"excellent": 5}),
        st.fixed_dictionaries({"excellent": st.integers(0, 10), "qualified": st.integers(0, 2)}),
    )
    tallies = {
        m: draw(st.one_of(high_tally, tally_strategy)) for m in draw(st.sets(st.sampled_from(ids)))
    }
    decisions = draw(st.dictionaries(st.sampled_from(ids), st.booleans()))
    previous = draw(
        st.dictionaries(
            st.sampled_from(ids), st.sampled_from(["excellent", "qualified", "basic", "warning"])
        )
    )
    return YearInput(
        rules=draw(rules),
        items=ITEMS,
        members=members,
        entries=entries,
        tallies=tallies,
        decisions=decisions,
        previous_grades=previous,
    )


@PROPERTY_SETTINGS
@given(
    base=st.decimals(min_value=0, max_value=200, places=2),
    cap=st.decimals(min_value=0, max_value=50, places=2),
    deductions=st.decimals(min_value=0, max_value=500, places=2),
    bonus=st.decimals(min_value=0, max_value=500, places=2),
)
def test_daily_never_below_zero_nor_above_base_plus_cap(
    base: Decimal, cap: Decimal, deductions: Decimal, bonus: Decimal
) -> None:
    rules = SchemeRules(base_points=base, bonus_cap=cap)
    daily = daily_score(rules, deductions, bonus)
    assert Decimal(0) <= daily <= base + cap


@PROPERTY_SETTINGS
@given(data=years(), extra=points(30), disqualifying=st.booleans(), pick=st.integers(0, 100))
def test_adding_a_deduction_entry_never_raises_the_composite(
    data: YearInput, extra: Decimal, disqualifying: bool, pick: int
) -> None:
    member = data.members[pick % len(data.members)]
    entry = EntryInput("NEW", member.id, "DQ" if disqualifying else "D", extra)
    before = {r.member: r for r in compute_year(data)}
    after = {
        r.member: r
        for r in compute_year(
            YearInput(
                rules=data.rules,
                items=data.items,
                members=data.members,
                entries=[*data.entries, entry],
                tallies=data.tallies,
                decisions=data.decisions,
                previous_grades=data.previous_grades,
            )
        )
    }
    assert before.keys() == after.keys()
    if member.id in before and before[member.id].composite is not None:
        assert after[member.id].composite <= before[member.id].composite


@PROPERTY_SETTINGS
@given(data=years())
def test_excellent_grades_in_a_branch_never_exceed_the_quota(data: YearInput) -> None:
    counted = Counter(
        m.branch for m in data.members if m.status not in {"transferred_out", "deceased"}
    )
    excellent = Counter(r.branch for r in compute_year(data) if r.grade is Grade.EXCELLENT)
    for branch, places in excellent.items():
        assert places <= quota_places(data.rules, counted[branch])


@PROPERTY_SETTINGS
@given(data=years(rules=st.just(DEFAULT_RULES)))
def test_composite_within_zero_and_base_plus_cap_plus_democratic_maximum(
    data: YearInput,
) -> None:
    rules = data.rules
    ceiling = rules.base_points + rules.bonus_cap + rules.democratic_share * 100
    assert ceiling == Decimal(110)
    for result in compute_year(data):
        if result.composite is not None:
            assert Decimal(0) <= result.composite <= ceiling


@PROPERTY_SETTINGS
@given(data=years())
def test_results_are_ordered_ranked_and_list_every_counted_member_once(data: YearInput) -> None:
    results = compute_year(data)
    listed = [r.member for r in results]
    expected = {m.id for m in data.members if m.status not in {"transferred_out", "deceased"}}
    assert len(listed) == len(set(listed)) and set(listed) == expected
    keys = [(r.branch, r.rank is None, r.rank or 0, r.member) for r in results]
    assert keys == sorted(keys)
    for result in results:
        if result.grade is Grade.DEFERRED:
            assert result.rank is None and result.composite is None
            continue
        same_branch = [r for r in results if r.branch == result.branch and r.composite is not None]
        higher = sum(1 for r in same_branch if r.composite > result.composite)
        assert result.rank == higher + 1


@PROPERTY_SETTINGS
@given(tally=tally_strategy)
def test_democratic_percentage_is_a_two_place_value_between_the_option_extremes(
    tally: dict[str, int],
) -> None:
    pct = democratic_percentage(DEFAULT_RULES, tally)
    if sum(tally.values()) == 0:
        assert pct is None
    else:
        assert pct is not None
        assert pct.as_tuple().exponent == -2
        assert Decimal(0) <= pct <= Decimal(100)


@PROPERTY_SETTINGS
@given(
    values=st.lists(
        st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False),
        min_size=1,
        max_size=4,
    ),
    counts=st.lists(st.integers(min_value=0, max_value=10_000), min_size=4, max_size=4),
)
def test_democratic_percentage_in_integers_equals_the_decimal_mean(
    values: list[Decimal], counts: list[int]
) -> None:
    """The integer fast path gives the exactly rounded decimal mean, digit for digit."""
    from fractions import Fraction

    from kaoping.scoring.engine import _democratic_percentage_decimal

    rules = SchemeRules(ballot_options={f"o{i}": v for i, v in enumerate(values)})
    tally = {f"o{i}": counts[i] for i in range(len(values))}
    pct = democratic_percentage(rules, tally)
    assert str(pct) == str(_democratic_percentage_decimal(rules, tally))
    marks = sum(tally.values())
    if marks:
        mean = Fraction(sum(v * c for v, c in zip(values, counts, strict=False))) / marks
        assert abs(Fraction(pct) - mean) <= Fraction(1, 200)
