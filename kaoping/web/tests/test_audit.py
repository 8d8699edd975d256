import datetime

import pytest

from kaoping.ledger.services import entry_record


@pytest.mark.parametrize("who", ["sec1", "member1", "orgdept", "supervisor", "outsider"])
def test_audit_log_is_for_committee_admins_only(client, district, who):
    client.force_login(getattr(district, who))
    assert client.get("/audit/").status_code == 404


def test_admin_sees_changes_with_before_and_after(client, district, django_assert_max_num_queries):
    entry = entry_record(
        actor=district.sec1,
        member=district.m1,
        item=district.scheme.items.get(code="D01"),
        date=datetime.date(2026, 3, 1),
    )
    client.force_login(district.admin)
    with django_assert_max_num_queries(12):
        page = client.get("/audit/?action=entry.").content.decode()
    assert entry.code in page and "entry.record" in page and "sec1" in page
    rows = page[page.index("<tbody>") :]  # the filter above offers every action
    assert "member.upsert" not in rows
