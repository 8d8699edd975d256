"""The unqualified procedure's lists (a branch's cases and candidates, and the index of
the cases a user acts on) take a number of queries that does not grow with the cases (no
N+1)."""

import pytest

from kaoping.testing.queries import (
    assert_same_queries,
    branch_member_added,
    page_query_counts,
    rows_of,
)
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


def test_the_case_lists_page_and_cost_the_same_on_every_page(client, district):
    """Both case lists are server-side tables (kit/tables.py): 25 a page, newest first,
    filtered by state, searched; page 1 and page 3 cost the same queries."""
    grow, cases = _cases_grower(district)
    grow(60)
    client.force_login(district.sec1)
    branch_url = "/branches/B1/unqualified/"
    assert len(rows_of(client.get(branch_url))) == 25
    assert cases[-1].code in rows_of(client.get(branch_url))[0]
    assert cases[0].code in rows_of(client.get(branch_url + "?sort=created"))[0]
    assert len(rows_of(client.get(branch_url + "?q=处置对象00"))) == 10  # by name
    assert "没有符合条件的案卷" in rows_of(client.get(branch_url + "?state=determined"))[0]
    assert len(rows_of(client.get(branch_url + "?state=pre_review&size=100"))) == 60
    assert_same_queries(client, [branch_url, branch_url + "?page=3", branch_url + "?size=100"])
    client.force_login(district.admin)
    assert len(rows_of(client.get("/unqualified/?condition=2&size=50"))) == 50
    assert rows_of(client.get("/unqualified/?condition=3"))[0].count("没有符合条件的案卷") == 1
    # the reviewers see masked names, so their search looks in codes and branches only
    assert "没有符合条件" in rows_of(client.get("/unqualified/?q=处置对象001"))[0]
    assert len(rows_of(client.get(f"/unqualified/?q={cases[5].code}"))) == 1
    assert_same_queries(client, ["/unqualified/", "/unqualified/?page=3"])
