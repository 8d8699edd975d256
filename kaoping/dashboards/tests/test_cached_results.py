"""The dashboards read the live results through ``scoring.selectors.live_results`` (the
cache by results stamp) instead of running the engine themselves (issue 18)."""

import pytest

from kaoping.dashboards.selectors import branch_dashboard, committee_dashboard, member_dashboard
from kaoping.scoring import selectors as scoring_selectors
from kaoping.scoring import stamped_cache


@pytest.mark.django_db(transaction=True)
def test_a_second_dashboard_read_is_served_by_the_live_results_cache(district, monkeypatch):
    stamped_cache.clear()
    s = district.scheme
    first = (
        member_dashboard(actor=district.member1, member=district.m1, scheme=s),
        branch_dashboard(actor=district.sec1, branch=district.b1, scheme=s),
        committee_dashboard(actor=district.admin, scheme=s),
    )

    def batches(*args, **kwargs):
        raise AssertionError("computed again instead of read from the cache")

    monkeypatch.setattr(scoring_selectors, "year_input_batches", batches)
    again = (
        member_dashboard(actor=district.member1, member=district.m1, scheme=s),
        branch_dashboard(actor=district.sec1, branch=district.b1, scheme=s),
        committee_dashboard(actor=district.admin, scheme=s),
    )
    assert repr(again) == repr(first)
