"""One test per scoring rule (rules.md sections 5-8), on small hand-built years."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from kaoping.scoring.engine import (
    EntryInput,
    Grade,
    MemberInput,
    MemberResult,
    SchemeRules,
    YearInput,
    compute_year,
    daily_score,
    democratic_percentage,
    member_daily_totals,
    quota_places,
)

from .support import ITEMS

D = Decimal
RULES = SchemeRules()
ALL_EXCELLENT = {"excellent": 10}  # democratic_pct 100.00 -> 30 democratic points


@dataclass
class Year:
    """Builds a YearInput; ``add`` gives a member an exact composite."""

    members: list[MemberInput] = field(default_factory=list)
    entries: list[EntryInput] = field(default_factory=list)
    tallies: dict[str, dict[str, int]] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def of(cls, **composites: str) -> Year:
        """A year of B1's active in-service members with these exact composites."""
        year = cls()
        for member_id, composite in composites.items():
            year.add(member_id, composite)
        return year

    def entry(self, member: str, item: str, points: str, reverses: str | None = None) -> str:
        entry_id = f"E{next(self._ids)}"
        self.entries.append(EntryInput(entry_id, member, item, D(points), reverses))
        return entry_id

    def add(
        self,
        member_id: str,
        composite: str | None = None,
        *,
        branch: str = "B1",
        status: str = "active",
        category: str = "in_service",
        exemptions: frozenset[str] = frozenset(),
    ) -> None:
        """A member; with ``composite``: all-excellent tally plus the entries that reach it."""
        self.members.append(MemberInput(member_id, branch, status, category, exemptions))
        if composite is None:
            return
        self.tallies[member_id] = dict(ALL_EXCELLENT)
        daily = D(composite) - D(30)
        if daily > 70:
            self.entry(member_id, "B", str(daily - 70))
        elif daily < 70:
            self.entry(member_id, "D", str(70 - daily))

    def run(
        self,
        rules: SchemeRules = RULES,
        decisions: dict[str, bool] | None = None,
        previous: dict[str, str] | None = None,
    ) -> dict[str, MemberResult]:
        return {r.member: r for r in self.results(rules, decisions, previous)}

    def results(
        self,
        rules: SchemeRules = RULES,
        decisions: dict[str, bool] | None = None,
        previous: dict[str, str] | None = None,
    ) -> list[MemberResult]:
        return compute_year(
            YearInput(
                rules=rules,
                items=ITEMS,
                members=self.members,
                entries=self.entries,
                tallies=self.tallies,
                decisions=decisions or {},
                previous_grades=previous or {},
            )
        )


def _filler(year: Year, count: int, composite: str = "80", prefix: str = "F") -> None:
    for n in range(count):
        year.add(f"{prefix}{n}", composite)


def _m1_alone(*entries: tuple[str, str], tally: dict[str, int] | None = None) -> MemberResult:
    """M1's result in a year of M1 alone, with ``entries`` as (item, points) and ``tally``
    (none unless given)."""
    year = Year()
    year.add("M1")
    for item, points in entries:
        year.entry("M1", item, points)
    if tally is not None:
        year.tallies["M1"] = tally
    return year.run()["M1"]


# --------------------------------------------------------------------------- section 5


def test_daily_floor_at_zero_when_deductions_exceed_base() -> None:
    result = _m1_alone(("D", "85"), ("B", "3"))
    assert result.deductions == D(85)
    assert result.daily == D(3)  # max(0, 70 - 85) + 3, not -15 + 3
    assert daily_score(RULES, D(85), D(0)) == 0


def test_bonus_capped_per_year() -> None:
    result = _m1_alone(("B", "9"), ("B", "5"))
    assert result.bonus == D(14)  # reported as recorded
    assert result.daily == D(80)  # 70 + min(10, 14)
    assert daily_score(RULES, D(2), D("10.5")) == D(78)


def test_occurrences_points_are_taken_as_given() -> None:
    result = _m1_alone(
        ("D", "4.5"),  # 3 occurrences x 1.5
        ("D", "1.5"),  # 3 occurrences x 0.5
        ("B", "3.0"),  # 6 occurrences x 0.5
    )
    assert result.deductions == D("6.0")
    assert result.bonus == D("3.0")
    assert result.daily == D("67.0")


def test_reversed_entry_and_the_reversal_do_not_count() -> None:
    year = Year()
    year.add("M1")
    kept = year.entry("M1", "D", "2")
    wrong = year.entry("M1", "D", "3")
    year.entry("M1", "D", "99", reverses=wrong)  # a reversal's own points never count
    bonus = year.entry("M1", "B", "5")
    year.entry("M1", "B", "7", reverses=bonus)
    assert kept
    totals = member_daily_totals(ITEMS, year.members, year.entries)
    assert totals["M1"] == (D(2), D(0), False)
    assert year.run()["M1"].daily == D(68)


def test_reversal_listed_before_the_entry_it_reverses() -> None:
    entries = [
        EntryInput("E2", "M1", "D", D(0), reverses="E1"),
        EntryInput("E1", "M1", "D", D(2)),
    ]
    totals = member_daily_totals(ITEMS, [MemberInput("M1", "B1")], entries)
    assert totals["M1"] == (D(0), D(0), False)


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([EntryInput("E1", "NOBODY", "D", D(1))], "unknown member"),
        ([EntryInput("E1", "M1", "NOITEM", D(1))], "unknown item"),
        ([EntryInput("E1", "M1", "D", D(0), reverses="E9")], "unknown entry"),
        (
            [
                EntryInput("E1", "M1", "D", D(1)),
                EntryInput("E2", "M1", "D", D(0), reverses="E1"),
                EntryInput("E3", "M1", "D", D(0), reverses="E1"),
            ],
            "already reversed",
        ),
        (
            [
                EntryInput("E1", "M1", "D", D(1)),
                EntryInput("E2", "M1", "D", D(0), reverses="E1"),
                EntryInput("E3", "M1", "D", D(0), reverses="E2"),
            ],
            "is a reversal",
        ),
    ],
)
def test_invalid_ledger_is_rejected(entries: list[EntryInput], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        member_daily_totals(ITEMS, [MemberInput("M1", "B1")], entries)


def test_disqualified_flag_and_no_excellent_place_even_at_90_or_above() -> None:
    year = Year()
    year.add("TOP", "100")  # would take the only place ...
    year.entry("TOP", "DQ", "10")  # ... but a serious violation disqualifies (and deducts 10)
    year.entry("TOP", "B", "10")  # back to 100
    year.add("EXACT", "90")
    year.entry("EXACT", "D", "-10")  # net daily unchanged: 70 (hand-built, points as given)
    year.entry("EXACT", "DQ", "10")
    year.add("NEXT", "92")
    _filler(year, 4)  # 7 members -> floor(1.05) = 1 place
    results = year.run()
    assert results["TOP"].composite == D(100)
    assert results["TOP"].grade is Grade.QUALIFIED
    assert results["TOP"].flags == ("disqualified",)
    assert results["EXACT"].composite == D(90)
    assert results["EXACT"].grade is Grade.QUALIFIED
    assert results["EXACT"].flags == ("disqualified",)
    assert results["NEXT"].grade is Grade.EXCELLENT  # the place goes to the next one


# --------------------------------------------------------------------------- thresholds

HALF_QUOTA = SchemeRules(excellent_quota=D("0.5"))


@pytest.mark.parametrize(
    ("at", "below", "at_grade", "below_grade", "rules"),
    [
        # 2 members -> 1 place, and only AT is in the pool
        ("90", "89.99", Grade.EXCELLENT, Grade.QUALIFIED, HALF_QUOTA),
        ("70", "69.99", Grade.QUALIFIED, Grade.BASIC, RULES),
        ("60", "59.99", Grade.BASIC, Grade.WARNING, RULES),
    ],
    ids=["excellent", "qualified", "basic"],
)
def test_grade_threshold_is_inclusive(at, below, at_grade, below_grade, rules) -> None:
    results = Year.of(AT=at, BELOW=below).run(rules)
    assert results["AT"].grade is at_grade
    assert results["BELOW"].grade is below_grade


def test_no_places_means_no_excellent_even_at_the_maximum() -> None:
    year = Year()
    year.add("TOP", "110")
    _filler(year, 5)  # 6 members -> floor(0.9) = 0 places
    assert year.run()["TOP"].grade is Grade.QUALIFIED


# --------------------------------------------------------------------------- quota


def test_quota_rounding_floor() -> None:
    rules = SchemeRules(quota_rounding="floor")
    assert [quota_places(rules, n) for n in (0, 3, 6, 7, 9, 10, 20)] == [0, 0, 0, 1, 1, 1, 3]


def test_quota_rounding_ceil() -> None:
    rules = SchemeRules(quota_rounding="ceil")
    assert [quota_places(rules, n) for n in (0, 3, 6, 7, 9, 10, 20)] == [0, 1, 1, 2, 2, 2, 3]
    year = Year.of(A="99", B="98", C="97")  # 3 members -> ceil(0.45) = 1 place
    grades = {m: r.grade for m, r in year.run(rules).items()}
    assert grades == {"A": Grade.EXCELLENT, "B": Grade.QUALIFIED, "C": Grade.QUALIFIED}


def test_quota_rounding_round_half_up() -> None:
    rules = SchemeRules(quota_rounding="round_half_up")
    # 0.45 -> 0, 0.9 -> 1, 1.05 -> 1, 1.35 -> 1, 1.5 -> 2 (half up, not half even)
    assert [quota_places(rules, n) for n in (3, 6, 7, 9, 10)] == [0, 1, 1, 1, 2]
    assert (
        quota_places(SchemeRules(excellent_quota=D("0.25"), quota_rounding="round_half_up"), 10)
        == 3
    )


def test_unknown_quota_rounding_is_rejected() -> None:
    with pytest.raises(ValueError, match="quota_rounding"):
        SchemeRules(quota_rounding="bankers")


def _tie_year() -> Year:
    year = Year.of(TOP="100", T1="99", T2="99", T3="99")
    _filler(year, 10)  # 14 members -> floor(2.1) = 2 places: TOP + one of T1..T3
    return year


def test_quota_tie_undecided_is_pending() -> None:
    results = _tie_year().run()
    assert results["TOP"].grade is Grade.EXCELLENT
    assert results["TOP"].flags == ()
    for member in ("T1", "T2", "T3"):
        assert results[member].grade is Grade.PENDING
        assert results[member].flags == ("quota_tie",)
    assert results["F0"].grade is Grade.QUALIFIED


def test_quota_tie_decided_by_the_branch() -> None:
    results = _tie_year().run(decisions={"T1": False, "T2": True, "T3": False})
    assert results["T1"].grade is Grade.QUALIFIED
    assert results["T2"].grade is Grade.EXCELLENT
    assert results["T3"].grade is Grade.QUALIFIED
    assert all(results[m].flags == ("quota_tie",) for m in ("T1", "T2", "T3"))


def test_quota_tie_partly_decided_settles_the_undecided_when_forced() -> None:
    # The one place taken: the undecided ones are qualified.
    results = _tie_year().run(decisions={"T2": True})
    assert [results[m].grade for m in ("T1", "T2", "T3")] == [
        Grade.QUALIFIED,
        Grade.EXCELLENT,
        Grade.QUALIFIED,
    ]
    # Everyone else declined: the one undecided member takes the place.
    results = _tie_year().run(decisions={"T1": False, "T3": False})
    assert results["T2"].grade is Grade.EXCELLENT
    # Not enough decided either way: the undecided stay pending.
    results = _tie_year().run(decisions={"T1": False})
    assert [results[m].grade for m in ("T1", "T2", "T3")] == [
        Grade.QUALIFIED,
        Grade.PENDING,
        Grade.PENDING,
    ]


def test_quota_tie_with_impossible_decision_stays_pending_and_is_flagged() -> None:
    results = _tie_year().run(decisions={"T1": True, "T2": True})
    for member in ("T1", "T2", "T3"):
        assert results[member].grade is Grade.PENDING
        assert results[member].flags == ("quota_decision_invalid", "quota_tie")
    assert results["TOP"].grade is Grade.EXCELLENT


def test_no_tie_when_the_tied_group_fits_and_decisions_outside_a_tie_are_ignored() -> None:
    year = Year.of(A="99", B="99", C="95")
    _filler(year, 11)  # 14 members -> 2 places, A and B both fit
    results = year.run(decisions={"A": False, "C": True})
    assert results["A"].grade is Grade.EXCELLENT
    assert results["B"].grade is Grade.EXCELLENT
    assert results["C"].grade is Grade.QUALIFIED
    assert all(not r.flags for r in results.values())


def test_deferred_members_are_counted_in_the_quota_base() -> None:
    year = Year()
    year.add("TOP", "99")
    _filler(year, 5)
    assert year.run()["TOP"].grade is Grade.QUALIFIED  # 6 members -> 0 places
    year.add("INV", status="under_investigation")
    year.entry("INV", "D", "5")  # a deferred member's entries are kept but not scored
    results = year.run()
    assert results["TOP"].grade is Grade.EXCELLENT  # 7 members -> 1 place
    deferred = results["INV"]
    assert deferred.grade is Grade.DEFERRED
    assert deferred.rank is None
    assert deferred.flags == ()
    assert (
        deferred.deductions,
        deferred.bonus,
        deferred.daily,
        deferred.democratic_pct,
        deferred.democratic,
        deferred.composite,
    ) == (None,) * 6


def test_transferred_and_deceased_members_are_neither_counted_nor_listed() -> None:
    year = Year()
    year.add("TOP", "99")
    _filler(year, 5)
    year.add("GONE", "95", status="transferred_out")
    year.add("DEAD", "95", status="deceased")
    year.entry("DEAD", "D", "2")
    results = year.run()
    assert set(results) == {"TOP", "F0", "F1", "F2", "F3", "F4"}
    assert results["TOP"].grade is Grade.QUALIFIED  # 6 counted members -> 0 places
    assert results["TOP"].rank == 1


def test_lost_contact_members_are_assessed() -> None:
    year = Year()
    year.add("LOST", "75", status="lost_contact")
    result = year.run()["LOST"]
    assert result.composite == D(75)
    assert result.grade is Grade.QUALIFIED
    assert result.rank == 1


# --------------------------------------------------------------------------- section 3/8


def test_entries_for_an_exempt_item_do_not_count() -> None:
    year = Year()
    year.add("EXEMPT", category="retired", exemptions=frozenset({"R"}))
    year.add("OTHER", category="retired")
    for member in ("EXEMPT", "OTHER"):
        year.entry(member, "R", "3")
        year.entry(member, "D", "1")
    results = year.run()
    assert results["EXEMPT"].deductions == D(1)
    assert results["OTHER"].deductions == D(4)


def test_entries_for_an_item_of_another_branch_category_do_not_count() -> None:
    year = Year()
    year.add("WORKING", branch="B1", category="in_service")
    year.add("RETIRED", branch="B2", category="retired")
    for member in ("WORKING", "RETIRED"):
        year.entry(member, "R", "2")  # R applies to retired branches only
        year.entry(member, "D", "1")  # D applies everywhere
    results = year.run()
    assert results["WORKING"].deductions == D(1)
    assert results["RETIRED"].deductions == D(3)


# --------------------------------------------------------------------------- section 6


def test_member_without_tally_has_no_democratic_score_and_composite_is_daily() -> None:
    result = _m1_alone(("D", "2.5"))
    assert result.democratic_pct is None
    assert result.democratic is None
    assert result.composite == result.daily == D("67.5")
    assert result.as_dict()["democratic_pct"] is None


def test_all_zero_tally_counts_as_no_marks() -> None:
    zero = {"excellent": 0, "qualified": 0, "basic": 0, "unqualified": 0}
    assert democratic_percentage(RULES, zero) is None
    assert democratic_percentage(RULES, {}) is None
    result = _m1_alone(tally=zero)
    assert (result.democratic_pct, result.democratic, result.composite) == (None, None, D(70))


def test_democratic_percentage_rounds_half_up_to_two_places() -> None:
    # 100 / 32 = 3.125 exactly: half up gives 3.13 (half even would give 3.12).
    pct = democratic_percentage(RULES, {"excellent": 1, "unqualified": 31})
    assert str(pct) == "3.13"
    # 0.005 -> 0.01 with a scheme of its own.
    tiny = SchemeRules(ballot_options={"yes": D("0.01"), "no": D("0")})
    assert democratic_percentage(tiny, {"yes": 1, "no": 1}) == D("0.01")
    # Repeating means: 280/3 = 93.333.. -> 93.33, 260/3 = 86.666.. -> 86.67.
    assert democratic_percentage(RULES, {"excellent": 2, "qualified": 1}) == D("93.33")
    assert democratic_percentage(RULES, {"excellent": 1, "qualified": 2}) == D("86.67")
    # Always two places, even for a whole mean.
    assert str(democratic_percentage(RULES, {"excellent": 3})) == "100.00"


def test_democratic_points_are_the_exact_product() -> None:
    result = _m1_alone(tally={"excellent": 18, "qualified": 2})
    assert str(result.democratic_pct) == "98.00"
    assert str(result.democratic) == "29.4000"  # 0.30 x 98.00, not re-rounded
    assert result.composite == D("99.4")


def test_unknown_ballot_option_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown ballot option"):
        democratic_percentage(RULES, {"excellent": 1, "outstanding": 1})


# --------------------------------------------------------------------------- flags, ranks


def test_candidate_8_on_a_second_consecutive_warning() -> None:
    result = Year.of(M1="50").run(previous={"M1": "warning"})["M1"]
    assert result.grade is Grade.WARNING
    assert result.flags == ("candidate:8",)


def test_no_candidate_8_unless_both_years_are_warnings() -> None:
    year = Year.of(WARN_AFTER_BASIC="50", BASIC_AFTER_WARN="65", WARN_FIRST_TIME="40")
    results = year.run(previous={"WARN_AFTER_BASIC": "basic", "BASIC_AFTER_WARN": "warning"})
    assert all(r.flags == () for r in results.values())
    assert results["WARN_AFTER_BASIC"].grade is Grade.WARNING


def test_ranks_are_competition_ranks_within_the_branch() -> None:
    year = Year.of(A="95", B="90", C="90.0", D="80", E="80", F="70")
    year.add("X", "99", branch="B2")
    ranks = {m: r.rank for m, r in year.run().items()}
    assert ranks == {"A": 1, "B": 2, "C": 2, "D": 4, "E": 4, "F": 6, "X": 1}


def test_output_order_is_branch_then_rank_then_member_id() -> None:
    year = Year()
    year.add("Z9", "80", branch="B2")
    year.add("INV", branch="B2", status="under_investigation")
    year.add("A1", "70", branch="B2")
    year.add("M2", "85", branch="B1")
    year.add("M1", "85", branch="B1")
    year.add("AA", "60", branch="B1")
    year.add("B0", branch="B1", status="under_investigation")
    order = [(r.branch, r.member, r.rank) for r in year.results()]
    assert order == [
        ("B1", "M1", 1),
        ("B1", "M2", 1),
        ("B1", "AA", 3),
        ("B1", "B0", None),
        ("B2", "Z9", 1),
        ("B2", "A1", 2),
        ("B2", "INV", None),
    ]


def test_as_dict_is_the_results_document_member_object() -> None:
    assert _m1_alone(("B", "0.5"), tally={"excellent": 18, "qualified": 2}).as_dict() == {
        "member": "M1",
        "branch": "B1",
        "deductions": "0",
        "bonus": "0.5",
        "daily": "70.5",
        "democratic_pct": "98.00",
        "democratic": "29.4000",
        "composite": "99.9000",
        "rank": 1,
        "grade": "qualified",
        "flags": [],
    }


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        SchemeRules(base_points=70.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        member_daily_totals(
            ITEMS,
            [MemberInput("M1", "B1")],
            [EntryInput("E1", "M1", "D", 0.1)],  # type: ignore[arg-type]
        )
