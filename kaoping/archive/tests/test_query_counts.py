"""The archive's list pages take a number of queries that does not grow with their rows
(no N+1): a member's archive (its change history), a branch's exemptions and roster, and
the lost-contact list."""

import datetime

import pytest

from kaoping.archive.services import (
    exemption_add,
    member_lost_contact_mark,
    member_profile_update,
)
from kaoping.testing.queries import branch_member_added, page_query_counts

pytestmark = pytest.mark.django_db


def test_member_archive_query_count_does_not_grow_with_its_history(client, district):
    jobs = []

    def grow(n):
        for _ in range(n):
            jobs.append(f"第{len(jobs):03d}号岗位")
            member_profile_update(actor=district.sec1, member=district.m1, values={"job": jobs[-1]})

    client.force_login(district.sec1)
    counts, page = page_query_counts(client, "/members/M1/archive/", grow)
    assert counts[0] == counts[1], counts
    assert all(job in page for job in jobs)  # each change, with who made it


def test_branch_exemptions_query_count_does_not_grow(client, district):
    made = []

    def grow(n):
        for _ in range(n):
            exemption_add(
                actor=district.sec1, member=branch_member_added(district, made, "免考对象"),
                item_code="D01", reason="身体原因", starts_on=datetime.date(2026, 1, 1),
            )  # fmt: skip

    client.force_login(district.sec1)
    counts, page = page_query_counts(client, "/branches/B1/exemptions/", grow)
    assert counts[0] == counts[1], counts
    assert all(m.name in page for m in made)


def test_roster_query_count_does_not_grow_with_members(client, district):
    made = []

    def grow(n):
        for _ in range(n):
            member = branch_member_added(district, made, "台账对象")
            values = {"job": f"科员{len(made):03d}", "phone": "13800000000"}
            member_profile_update(actor=district.sec1, member=member, values=values)

    client.force_login(district.sec1)
    counts, page = page_query_counts(client, "/branches/B1/roster/", grow)
    assert counts[0] == counts[1], counts
    assert all(m.name in page for m in made)


def test_lost_contact_list_query_count_does_not_grow(client, district):
    made = []

    def grow(n):
        for _ in range(n):
            member_lost_contact_mark(
                actor=district.sec1, member=branch_member_added(district, made, "失联对象"),
                since=datetime.date(2026, 2, 1), efforts="电话、走访均未联系上",
            )  # fmt: skip

    client.force_login(district.admin)
    counts, page = page_query_counts(client, "/archive/lost-contact/", grow)
    assert counts[0] == counts[1], counts
    assert all(m.name in page for m in made)
