"""The unqualified procedure's lists (a branch's cases and candidates, and the index of
the cases a user acts on) take a number of queries that does not grow with the cases (no
N+1)."""

import pytest

from kaoping.testing.queries import branch_member_added, page_query_counts
from kaoping.unqualified.services import case_propose

pytestmark = pytest.mark.django_db


def _cases_grower(district):
    """``grow(n)`` proposes n more cases, each for a new member of B1; and the cases."""
    members, cases = [], []

    def grow(n):
        for _ in range(n):
            cases.append(
                case_propose(
                    actor=district.sec1,
                    member=branch_member_added(district, members, "处置对象"),
                    condition="2",
                    facts="连续六个月未参加组织生活",
                    year=2026,
                )  # fmt: skip
            )

    return grow, cases


def test_branch_cases_query_count_does_not_grow(client, district):
    grow, cases = _cases_grower(district)
    client.force_login(district.sec1)
    counts, page = page_query_counts(client, "/branches/B1/unqualified/", grow)
    assert counts[0] == counts[1], counts
    assert all(c.member.name in page for c in cases)


@pytest.mark.parametrize("username", ["admin", "sec1"])
def test_index_query_count_does_not_grow(client, district, username):
    grow, cases = _cases_grower(district)
    client.force_login(getattr(district, username))
    counts, page = page_query_counts(client, "/unqualified/", grow)
    assert counts[0] == counts[1], counts
    assert all(c.code in page for c in cases)
