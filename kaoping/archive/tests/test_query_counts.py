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


def _exempt(district, member):
    exemption_add(
        actor=district.sec1, member=member, item_code="D01", reason="身体原因",
        starts_on=datetime.date(2026, 1, 1),
    )  # fmt: skip


def _profile(district, member):
    values = {"job": f"科员{member.code}", "phone": "13800000000"}
    member_profile_update(actor=district.sec1, member=member, values=values)


def _lose_contact(district, member):
    member_lost_contact_mark(
        actor=district.sec1, member=member, since=datetime.date(2026, 2, 1),
        efforts="电话、走访均未联系上",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("label", "record", "reader", "url"),
    [
        pytest.param("免考对象", _exempt, "sec1", "/branches/B1/exemptions/", id="exemptions"),
        pytest.param("台账对象", _profile, "sec1", "/branches/B1/roster/", id="roster"),
        pytest.param("失联对象", _lose_contact, "admin", "/archive/lost-contact/", id="lost"),
    ],
)
def test_member_list_query_count_does_not_grow_with_members(
    client, district, label, record, reader, url
):
    """A branch's exemptions and roster, and the lost-contact list: a member more (each
    with their record) costs the page no query more."""
    made = []

    def grow(n):
        for _ in range(n):
            record(district, branch_member_added(district, made, label))

    client.force_login(getattr(district, reader))
    counts, page = page_query_counts(client, url, grow)
    assert counts[0] == counts[1], counts
    assert all(m.name in page for m in made)
