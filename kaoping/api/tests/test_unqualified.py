"""The "unqualified" procedure over the API: the three bodies read their cases and files,
names masked in lists for those who do not keep the branch, everyone else sees nothing."""

import pytest

from kaoping.unqualified import services
from kaoping.unqualified.tests.support import pdf, propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(district):
    case = propose(district, files=[pdf()])
    return services.case_pre_review(
        actor=district.admin, case=case, body="committee", approve=False, reason="补充材料"
    )


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_bodies_list_the_case_with_names_masked_for_reviewers(client, district, case):
    mine = get(client, district.sec1, "/api/unqualified-cases").json()
    assert [(c["code"], c["member"], c["member_name"]) for c in mine["items"]] == [
        (case.code, "M1", district.m1.name)
    ]
    reviewer = get(client, district.admin, "/api/unqualified-cases?year=2026").json()["items"]
    assert reviewer[0]["member_name"] == district.m1.name[0] + "*" * (len(district.m1.name) - 1)
    assert reviewer[0]["state"] == "returned"
    assert get(client, district.admin, "/api/unqualified-cases?state=vote").json()["items"] == []
    assert get(client, district.admin, "/api/unqualified-cases?year=2025").json()["items"] == []
    for user in (district.sec2, district.supervisor, district.member1):
        assert get(client, user, "/api/unqualified-cases").json()["items"] == [], user


def test_the_file_has_every_step_and_the_same_404_for_others(client, district, case):
    body = get(client, district.orgdept, f"/api/unqualified-cases/{case.code}").json()
    assert body["member_name"] == district.m1.name
    assert [(s["stage"], s["body"], s["action"], s["reason"]) for s in body["steps"]] == [
        ("proposal", "branch", "propose", ""),
        ("pre_review", "committee", "return", "补充材料"),
    ]
    assert body["vote"] is None and body["handlings"] == [] and body["evidence_files"] == 1
    for user in (district.sec2, district.supervisor, district.member1):
        assert get(client, user, f"/api/unqualified-cases/{case.code}").status_code == 404
        assert get(client, user, "/api/unqualified-cases/NOPE").status_code == 404


def test_the_list_takes_a_bounded_number_of_queries(
    client, district, case, django_assert_max_num_queries
):
    client.force_login(district.admin)
    client.get("/api/unqualified-cases")
    with django_assert_max_num_queries(8):
        assert client.get("/api/unqualified-cases").status_code == 200
