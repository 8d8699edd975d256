"""The database path feeds the engine with a fixed number of queries and gives the same
results as the stored computation."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaoping.evaluation.services import quota_decision_record, tally_set
from kaoping.ledger.services import entry_record
from kaoping.scoring.models import MemberResult
from kaoping.scoring.selectors import branch_results, results_document, year_input
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
    for live in branch_results(scheme=district.scheme, branch=district.b1):
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


def test_quota_tie_and_decision_through_the_database(district):
    # B1 with 7 members → floor(1.05) = 1 place; two tie at the top.
    for _ in range(5):
        MemberFactory(branch=district.b1)
    for m in (district.m1, district.m1b):
        tally_set(actor=district.sec1, year=2026, member=m, counts={"excellent": 10})
    results = {r.member: r for r in branch_results(scheme=district.scheme, branch=district.b1)}
    assert (results["M1"].grade, results["M1B"].grade) == ("pending", "pending")
    quota_decision_record(
        actor=district.sec1,
        year=2026,
        member=district.m1,
        excellent=True,
        note="支委会认定：志愿服务时长更多",
    )
    results = {r.member: r for r in branch_results(scheme=district.scheme, branch=district.b1)}
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
    result = {r.member: r for r in branch_results(scheme=district.scheme, branch=district.b1)}
    assert result["M1"].grade == "warning"
    assert "candidate:8" in result["M1"].flags
