"""The cache of live results: every change the results depend on gives the branch a new
results stamp (database triggers), and a cached result is never served after a change."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kaoping.evaluation.models import QuotaDecision, VoteTally
from kaoping.evaluation.services import tally_set
from kaoping.ledger.services import entry_record
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.services import member_upsert
from kaoping.schemes.models import ItemExemption
from kaoping.schemes.services import exemption_set, scheme_item_upsert, scheme_update
from kaoping.scoring import stamped_cache
from kaoping.scoring.engine import compute_year
from kaoping.scoring.models import GradeRecord
from kaoping.scoring.selectors import (
    live_results,
    live_results_of_branch,
    results_stamps,
    year_input,
)
from kaoping.scoring.services import grade_record_set

DAY = datetime.date(2026, 4, 1)


def stamps(district):
    return results_stamps(branch_ids=[district.b1.pk, district.b2.pk])


def item(district, code="D01"):
    return district.scheme.items.get(code=code)


CHANGES = {
    "entry": lambda d: entry_record(actor=None, member=d.m1, item=item(d), date=DAY),
    "tally": lambda d: tally_set(actor=None, year=2026, member=d.m1, counts={"excellent": 2}),
    "tally changed in place": lambda d: VoteTally.objects.filter(member=d.m1).update(count=7),
    "tally deleted": lambda d: VoteTally.objects.filter(member=d.m1).delete(),
    "quota decision": lambda d: QuotaDecision.objects.create(
        year=2026, member=d.m1, excellent=True, note="x"
    ),
    "exemption": lambda d: exemption_set(actor=None, member=d.m1, item_code="D01", reason="x"),
    "exemption period": lambda d: ItemExemption.objects.filter(member=d.m1).update(
        ends_on=datetime.date(2026, 3, 1)
    ),
    "last year's grade": lambda d: grade_record_set(
        actor=None, member=d.m1, year=2025, grade="warning"
    ),
    "grade changed in place": lambda d: GradeRecord.objects.filter(member=d.m1).update(
        grade="basic"
    ),
    "member status": lambda d: member_upsert(
        actor=None, code="M1", name=d.m1.name, branch=d.b1, status=Member.Status.UNDER_INVESTIGATION
    ),
    "member name": lambda d: Member.objects.filter(pk=d.m1.pk).update(name="张三丰"),
    "new member": lambda d: member_upsert(actor=None, code="M9", name="新人", branch=d.b1),
    "branch category": lambda d: Organization.objects.filter(pk=d.b1.pk).update(
        category=Organization.Category.RETIRED
    ),
}
# Changes every branch sees: the scheme and its items, and who recorded entries.
SHARED = {
    "scheme setting": lambda d: scheme_update(
        actor=None, scheme=d.scheme, excellent_threshold=Decimal("95")
    ),
    "scheme item": lambda d: scheme_item_upsert(
        actor=None, scheme=d.scheme, code="D01", kind="deduction", name="x", points=Decimal(9)
    ),
    "username": lambda d: User.objects.filter(username="sec1").update(username="sec-one"),
}


def _prepare(district):
    tally_set(actor=None, year=2026, member=district.m1, counts={"excellent": 1})
    exemption_set(actor=None, member=district.m1, item_code="D02", reason="x")
    grade_record_set(actor=None, member=district.m1, year=2025, grade="qualified")


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_in_a_branch_gives_it_a_new_stamp_and_only_it(district, change):
    _prepare(district)
    before = stamps(district)
    CHANGES[change](district)
    after = stamps(district)
    assert after[district.b1.pk] != before[district.b1.pk]
    assert after[district.b2.pk] == before[district.b2.pk]


@pytest.mark.parametrize("change", list(SHARED))
def test_a_shared_change_gives_every_branch_a_new_stamp(district, change):
    before = stamps(district)
    SHARED[change](district)
    after = stamps(district)
    assert after[district.b1.pk] != before[district.b1.pk]
    assert after[district.b2.pk] != before[district.b2.pk]


def test_a_transfer_changes_both_branches(district):
    before = stamps(district)
    member_upsert(actor=None, code="M1", name=district.m1.name, branch=district.b2)
    after = stamps(district)
    assert after[district.b1.pk] != before[district.b1.pk]
    assert after[district.b2.pk] != before[district.b2.pk]


def test_a_rolled_back_change_never_brings_a_used_stamp_back(district):
    before = stamps(district)[district.b1.pk]
    with pytest.raises(RuntimeError), transaction.atomic():
        entry_record(actor=None, member=district.m1, item=item(district), date=DAY)
        inside = stamps(district)[district.b1.pk]
        raise RuntimeError
    assert stamps(district)[district.b1.pk] == before
    entry_record(actor=None, member=district.m1, item=item(district), date=DAY)
    assert stamps(district)[district.b1.pk] not in {before, inside}


def test_live_results_of_several_branches_equal_one_engine_run(district):
    entry_record(actor=None, member=district.m2, item=item(district, "D10"), date=DAY)
    tally_set(actor=None, year=2026, member=district.m1, counts={"excellent": 3})
    branches = [district.b2, district.r1, district.b1]
    expected = compute_year(year_input(scheme=district.scheme, branches=branches))
    assert live_results(scheme=district.scheme, branches=branches) == expected
    live = live_results_of_branch(scheme=district.scheme, branch=district.b1)
    assert live.tallies == {"M1": {"excellent": 3}}


# ----------------------------------------------------------------- the cache itself
# Outside a test transaction (the cache is not used inside one), so each test commits and
# the database is flushed after it.


def _composite(district, code="M1"):
    return {
        r.member: r.composite for r in live_results(scheme=district.scheme, branches=[district.b1])
    }[code]


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_cached_results_change_at_once_with_an_entry_a_tally_and_the_scheme(district):
    stamped_cache.clear()
    first = _composite(district)
    # The second read is served by the cache: the stamp and nothing else in this process,
    # the stamp and one read of the shared cache in another.
    assert _queries(lambda: _composite(district)) == 1
    stamped_cache.recent.clear()
    assert _queries(lambda: _composite(district)) == 2
    assert _composite(district) == first

    entry_record(actor=None, member=district.m1, item=item(district, "D01"), date=DAY)
    after_entry = _composite(district)
    assert after_entry < first

    tally_set(actor=None, year=2026, member=district.m1, counts={"excellent": 10})
    after_tally = _composite(district)
    assert after_tally != after_entry

    # The caller's copy of the scheme is the old one: the rules are read after the stamp.
    scheme = scheme_update(actor=None, scheme=district.scheme, base_points=Decimal("60"))
    assert _composite(district) != after_tally
    fresh = compute_year(year_input(scheme=scheme, branches=[district.b1]))
    assert live_results(scheme=district.scheme, branches=[district.b1]) == fresh


@pytest.mark.django_db(transaction=True)
def test_results_inside_a_transaction_are_neither_cached_nor_read_from_the_cache(district):
    stamped_cache.clear()
    with transaction.atomic():
        entry_record(actor=None, member=district.m1, item=item(district), date=DAY)
        inside = _composite(district)
        transaction.set_rollback(True)
    assert _composite(district) != inside
