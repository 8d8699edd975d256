"""The database path feeds the engine with a fixed number of queries and gives the same
results as the stored computation."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaoping.evaluation.services import quota_decision_record, tally_set
from kaoping.ledger.services import entry_record
from kaoping.scoring.models import MemberResult
from kaoping.scoring.selectors import live_results, results_document, year_input
from kaoping.scoring.services import grade_record_set, results_compute
from kaoping.testing.factories import MemberFactory

DAY = datetime.date(2026, 4, 1)


def grow(district, n):
    for _ in range(n):
        member = MemberFactory(branch=district.b1)
        entry_record(
            actor=None, member=member, item=district.scheme.items.get(code="D01"), date=DAY
        )
        tally_set(actor=None, year=2026, member=member, counts={"excellent": 3, "qualified": 1})


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_year_input_query_count_does_not_grow_with_members(district):
    grow(district, 3)
    small = count_queries(lambda: year_input(scheme=district.scheme))
    grow(district, 30)
    assert count_queries(lambda: year_input(scheme=district.scheme)) == small


def test_stored_results_equal_live_results(district):
    grow(district, 5)
    entry_record(
        actor=None, member=district.m1, item=district.scheme.items.get(code="D10"), date=DAY
    )
    results_compute(actor=None, year=2026)
    doc = {m["member"]: m for m in results_document(year=2026)["members"]}
    for live in live_results(scheme=district.scheme, branches=[district.b1]):
        assert doc[live.member]["composite"] == (
            None if live.composite is None else format(live.composite.normalize(), "f")
        )
        assert doc[live.member]["grade"] == live.grade
    assert "disqualified" in doc["M1"]["flags"]


def test_recompute_replaces_results(district):
    results_compute(actor=None, year=2026)
    first = MemberResult.objects.count()
    results_compute(actor=None, year=2026)
    assert MemberResult.objects.count() == first


def test_only_committee_admin_computes_the_year(district):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        results_compute(actor=district.sec1, year=2026)
    assert results_compute(actor=district.admin, year=2026) == 4


def test_quota_tie_and_decision_through_the_database(year_2026_over, district):
    # B1 with 7 members → floor(1.05) = 1 place; two tie at the top.
    for _ in range(5):
        MemberFactory(branch=district.b1)
    for m in (district.m1, district.m1b):
        tally_set(actor=district.sec1, year=2026, member=m, counts={"excellent": 10})
    results = {r.member: r for r in live_results(scheme=district.scheme, branches=[district.b1])}
    assert (results["M1"].grade, results["M1B"].grade) == ("pending", "pending")
    quota_decision_record(
        actor=district.sec1,
        year=2026,
        member=district.m1,
        excellent=True,
        note="支委会认定：志愿服务时长更多",
    )
    results = {r.member: r for r in live_results(scheme=district.scheme, branches=[district.b1])}
    assert (results["M1"].grade, results["M1B"].grade) == ("excellent", "qualified")
    assert "quota_tie" in results["M1B"].flags


def test_candidate_8_from_history(district):
    grade_record_set(actor=None, member=district.m1, year=2025, grade="warning")
    entry_record(
        actor=None,
        member=district.m1,
        item=district.scheme.items.get(code="D09"),
        date=DAY,
        occurrences=5,
    )
    result = {r.member: r for r in live_results(scheme=district.scheme, branches=[district.b1])}
    assert result["M1"].grade == "warning"
    assert "candidate:8" in result["M1"].flags


def _entry_by_entry_input(scheme):
    """The engine's input built entry by entry (as before the database summed the
    ledger): every entry of the year, exemptions and item categories left to the engine."""
    from collections import defaultdict

    from kaoping.evaluation.models import VoteTally
    from kaoping.ledger.models import ScoreEntry
    from kaoping.orgs.models import Member
    from kaoping.schemes.models import ItemExemption
    from kaoping.scoring.engine import EntryInput, ItemRule, MemberInput, YearInput
    from kaoping.scoring.selectors import rules_from

    exempt = defaultdict(set)
    for code, item in ItemExemption.objects.values_list("member__code", "item_code"):
        exempt[code].add(item)
    tallies = defaultdict(dict)
    for code, option, count in VoteTally.objects.filter(year=scheme.year).values_list(
        "member__code", "option", "count"
    ):
        tallies[code][option] = count
    return YearInput(
        rules=rules_from(scheme),
        items={
            i.code: ItemRule(i.code, i.kind, i.disqualifies, frozenset(i.categories) or None)
            for i in scheme.items.all()
        },
        members=[
            MemberInput(code, branch, status, category, frozenset(exempt[code]))
            for code, branch, status, category in Member.objects.values_list(
                "code", "branch__code", "status", "branch__category"
            )
        ],
        entries=[
            EntryInput(*row)
            for row in ScoreEntry.objects.filter(year=scheme.year).values_list(
                "code", "member__code", "item__code", "points", "reverses__code"
            )
        ],
        tallies=tallies,
    )


def test_database_sums_give_the_engines_results_entry_by_entry(district):
    """The set-based input (sums per member in SQL) decides reversals, exemptions and item
    categories exactly as the engine does over the raw entries."""
    from kaoping.ledger.services import entry_reverse
    from kaoping.orgs.models import Member
    from kaoping.schemes.services import exemption_set
    from kaoping.scoring.engine import compute_year

    items = {i.code: i for i in district.scheme.items.all()}
    m1, m1b, m2, r = district.m1, district.m1b, district.m2, district.r_member
    entry_record(actor=None, member=m1, item=items["D08"], date=DAY, occurrences=3)
    wrong = entry_record(actor=None, member=m1, item=items["D01"], date=DAY)
    entry_reverse(actor=None, entry=wrong, reason="录入错误")
    entry_record(actor=None, member=m1, item=items["B02"], date=DAY, occurrences=5)  # over cap
    entry_record(actor=None, member=m1b, item=items["D02"], date=DAY)
    exemption_set(actor=None, member=m1b, item_code="D02", reason="病休")  # after the entry
    entry_record(actor=None, member=m2, item=items["D10"], date=DAY)  # disqualifies
    entry_record(actor=None, member=r, item=items["R01"], date=DAY, occurrences=2)
    moved = MemberFactory(branch=district.r1)
    entry_record(actor=None, member=moved, item=items["R01"], date=DAY)
    entry_record(actor=None, member=moved, item=items["D06"], date=DAY)
    Member.objects.filter(pk=moved.pk).update(branch=district.b1)  # R01 no longer applies
    tally_set(actor=None, year=2026, member=m1, counts={"excellent": 2, "qualified": 1})

    expected = [r.as_dict() for r in compute_year(_entry_by_entry_input(district.scheme))]
    got = [r.as_dict() for r in compute_year(year_input(scheme=district.scheme))]
    assert got == expected
    by_member = {r["member"]: r for r in got}
    assert by_member["M1"]["deductions"] == "1.5000"
    assert by_member["M1B"]["deductions"] == "0"
    assert by_member[moved.code]["deductions"] == "1.5000"
    assert "disqualified" in by_member["M2"]["flags"]


def test_whole_year_form_gives_the_branch_forms_input(district):
    """The whole year's query (sums of every entry minus the few that drop out) and the
    branches' query (the rules applied entry by entry) give the engine the same input,
    for the cases the subtraction has to get right."""
    from kaoping.evaluation.models import VoteTally
    from kaoping.ledger.services import entry_reverse
    from kaoping.orgs.models import Member, Organization
    from kaoping.schemes.services import exemption_set

    items = {i.code: i for i in district.scheme.items.all()}
    m1, m1b, m2, r = district.m1, district.m1b, district.m2, district.r_member
    # M1: one deduction inside a dated exemption (recorded before it), one outside it,
    # one reversed
    entry_record(actor=None, member=m1, item=items["D08"], date=datetime.date(2026, 3, 15))
    entry_record(actor=None, member=m1, item=items["D08"], date=datetime.date(2026, 4, 1))
    exemption_set(
        actor=None,
        member=m1,
        item_code="D08",
        reason="病休",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 31),
    )
    wrong = entry_record(actor=None, member=m1, item=items["D01"], date=DAY)
    entry_reverse(actor=None, entry=wrong, reason="录入错误")
    # M1B: every entry drops out (reversed bonus, exempt deduction, reversed
    # disqualifying item): no sums at all, as if there had been no entries
    bonus = entry_record(actor=None, member=m1b, item=items["B01"], date=DAY)
    entry_reverse(actor=None, entry=bonus, reason="录入错误")
    entry_record(actor=None, member=m1b, item=items["D02"], date=DAY)
    exemption_set(actor=None, member=m1b, item_code="D02", reason="病休")
    disqualifying = entry_record(actor=None, member=m1b, item=items["D10"], date=DAY)
    entry_reverse(actor=None, entry=disqualifying, reason="录入错误")
    # M2: a deduction exempt from a date after it still counts; zero-count tally option
    entry_record(actor=None, member=m2, item=items["D03"], date=DAY)
    exemption_set(
        actor=None, member=m2, item_code="D03", reason="病休", starts_on=datetime.date(2026, 5, 1)
    )
    tally_set(actor=None, year=2026, member=m2, counts={"excellent": 4, "basic": 0})
    # a retired-only item counts in the retired branch, not for a member moved out of it
    entry_record(actor=None, member=r, item=items["R01"], date=DAY, occurrences=2)
    moved = MemberFactory(branch=district.r1)
    entry_record(actor=None, member=moved, item=items["R01"], date=DAY)
    Member.objects.filter(pk=moved.pk).update(branch=district.b1)
    assert VoteTally.objects.filter(member=m2, count=0).exists()

    branches = list(Organization.objects.filter(members__isnull=False).distinct())
    by_branches = year_input(scheme=district.scheme, branches=branches)
    whole = year_input(scheme=district.scheme)
    assert sorted(whole.entries, key=lambda e: e.id) == sorted(
        by_branches.entries, key=lambda e: e.id
    )
    assert whole.tallies == by_branches.tallies
    assert list(whole.members) == list(by_branches.members)
    sums = {e.id: e.points for e in whole.entries}
    assert sums["M1/d"] == items["D08"].points  # the entry outside the period only
    assert not any(key.startswith("M1B/") for key in sums)
    assert sums["M2/d"] == items["D03"].points
    assert sums["R01/d"] == 2 * items["R01"].points
    assert f"{moved.code}/d" not in sums
    assert whole.tallies["M2"] == {"excellent": 4, "basic": 0}


def test_results_follow_their_member_and_hold_their_branch(district):
    """Stored results have no database foreign keys (they are derived and replaced a year
    at a time); deleting a member still deletes its results, and a branch with results
    still cannot be deleted."""
    from django.db.models import ProtectedError

    from kaoping.ledger.models import ScoreEntry
    from kaoping.orgs.models import Member

    results_compute(actor=None, year=2026)
    assert MemberResult.objects.filter(member=district.m1b).exists()
    assert not ScoreEntry.objects.filter(member=district.m1b).exists()
    district.m1b.delete()
    assert not MemberResult.objects.filter(member_id=district.m1b.pk).exists()
    # B2 keeps only a result (its member moved): the result alone protects it
    Member.objects.filter(pk=district.m2.pk).update(branch=district.b1)
    with pytest.raises(ProtectedError) as refused:
        district.b2.delete()
    assert {type(o) for o in refused.value.protected_objects} == {MemberResult}
    assert MemberResult.objects.filter(branch=district.b2).exists()
