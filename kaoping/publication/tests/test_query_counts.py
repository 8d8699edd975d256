"""The publication page of a branch (公示与认定) takes a number of queries that does not
grow with the branch's members and their entries (no N+1)."""

import datetime

import pytest

from kaoping.ledger.services import entry_record
from kaoping.testing.queries import branch_member_added, page_query_counts

pytestmark = pytest.mark.django_db


def test_branch_publication_page_query_count_does_not_grow(client, district):
    item = district.scheme.items.get(code="D01")
    made = []

    def grow(n):
        for _ in range(n):
            member = branch_member_added(district, made, "公示对象")
            for day in (5, 6):
                entry_record(actor=None, member=member, item=item, date=datetime.date(2026, 3, day))

    client.force_login(district.sec1)
    counts, page = page_query_counts(client, "/pub/B1/2026/", grow)
    assert counts[0] == counts[1], counts
    assert all(m.name in page for m in made)
