"""A branch's unqualified-procedure page (its cases and candidates) takes a number of
queries that does not grow with its cases (no N+1)."""

import pytest

from kaoping.testing.factories import MemberFactory
from kaoping.testing.queries import page_query_counts
from kaoping.unqualified.services import case_propose

pytestmark = pytest.mark.django_db


def test_branch_cases_query_count_does_not_grow(client, district):
    made = []

    def grow(n):
        for _ in range(n):
            i = len(made)
            member = MemberFactory(code=f"B1-{i:03d}", name=f"处置对象{i:03d}", branch=district.b1)
            case_propose(
                actor=district.sec1, member=member, condition="2", facts="连续六个月未参加组织生活",
                year=2026,
            )  # fmt: skip
            made.append(member)

    client.force_login(district.sec1)
    counts, page = page_query_counts(client, "/branches/B1/unqualified/", grow)
    assert counts[0] == counts[1], counts
    assert all(m.name in page for m in made)


@pytest.mark.parametrize("username", ["admin", "sec1"])
def test_index_query_count_does_not_grow(client, district, username):
    made = []

    def grow(n):
        for _ in range(n):
            i = len(made)
            member = MemberFactory(code=f"B1-{i:03d}", name=f"处置对象{i:03d}", branch=district.b1)
            case = case_propose(
                actor=district.sec1, member=member, condition="2", facts="连续六个月未参加组织生活",
                year=2026,
            )  # fmt: skip
            made.append(case.code)

    client.force_login(getattr(district, username))
    counts, page = page_query_counts(client, "/unqualified/", grow)
    assert counts[0] == counts[1], counts
    assert all(code in page for code in made)
