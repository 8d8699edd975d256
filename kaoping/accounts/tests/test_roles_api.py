"""Roles through the API: list, grant, revoke; 403 beyond the user's rights, 404 for what
they cannot see."""

import json

import pytest

from kaoping.audit.models import AuditEvent
from kaoping.orgs.models import RoleAssignment

pytestmark = pytest.mark.django_db
Role = RoleAssignment.Role


def _post(client, body):
    return client.post("/api/roles", json.dumps(body), content_type="application/json")


@pytest.fixture
def api_client(district):
    from django.test import Client

    from kaoping.api.services import api_token_create

    def make(user):
        _, raw = api_token_create(actor=None, user=user, name="t")
        return Client(headers={"authorization": f"Bearer {raw}"})

    return make


def test_grant_list_revoke_through_the_api(district, api_client):
    d = district
    sec1 = api_client(d.sec1)
    created = _post(sec1, {"member": "M1", "organization": "B1", "role": "branch_committee"})
    assert created.status_code == 201, created.content
    row = created.json()
    assert row["username"] == "member1" and row["member"] == "M1"
    assert row["organization"] == "B1" and row["role_label"] == "支委"
    listed = sec1.get("/api/roles?organization=B1").json()
    assert {(r["username"], r["role"]) for r in listed["items"]} == {
        ("sec1", "secretary"),
        ("member1", "branch_committee"),
    }
    assert sec1.get("/api/roles?organization=B2").status_code == 404
    assert {r["organization"] for r in sec1.get("/api/roles").json()["items"]} == {"B1"}
    # refused outside the branch and beyond the secretary's rights: 403, nothing changed
    before = RoleAssignment.objects.count()
    for body in (
        {"member": "M2", "organization": "B2", "role": "branch_committee"},
        {"user": "member1", "organization": "B2", "role": "secretary"},
        {"user": "member1", "organization": "W", "role": "committee_admin"},
        {"user": "member1", "organization": "B1", "role": "secretary"},
    ):
        response = _post(sec1, body)
        assert response.status_code == 403, body
        assert response.json()["detail"].startswith("您无权")
    assert RoleAssignment.objects.count() == before
    assert AuditEvent.objects.filter(action="role.grant").count() == 1
    assert (
        _post(sec1, {"member": "M1", "organization": "NOPE", "role": "secretary"}).status_code
        == 404
    )
    # another branch's member named in one's own branch: as a missing one (decision 25)
    for body in ({"member": "M2"}, {"user": "member2"}, {"member": "NOBODY"}):
        response = _post(sec1, {**body, "organization": "B1", "role": "branch_committee"})
        assert response.status_code == 422, body
        assert "找不到账号或党员" in response.json()["detail"], body
    assert RoleAssignment.objects.count() == before
    # revoke: 404 for another branch's role and a missing one, 403 for one's own
    other = RoleAssignment.objects.get(user=d.sec2)
    assert sec1.delete(f"/api/roles/{other.pk}").status_code == 404
    assert sec1.delete("/api/roles/999999").status_code == 404
    own = RoleAssignment.objects.get(user=d.sec1)
    assert sec1.delete(f"/api/roles/{own.pk}").status_code == 403
    assert sec1.delete(f"/api/roles/{row['id']}").status_code == 204
    assert not RoleAssignment.objects.filter(pk=row["id"]).exists()
    assert AuditEvent.objects.filter(action="role.revoke").count() == 1


def test_the_admin_grants_by_username_and_the_last_admin_stays(district, api_client):
    d = district
    admin = api_client(d.admin)
    created = _post(admin, {"user": "outsider", "organization": "W", "role": "org_department"})
    assert created.status_code == 201
    both = _post(
        admin, {"user": "outsider", "member": "M1", "organization": "W", "role": "org_department"}
    )
    assert both.status_code == 422
    mine = RoleAssignment.objects.get(user=d.admin)
    refused = admin.delete(f"/api/roles/{mine.pk}")
    assert refused.status_code == 422 and "最后一位" in refused.json()["detail"]
    assert RoleAssignment.objects.filter(pk=mine.pk).exists()
    member = api_client(d.member1)
    assert member.get("/api/roles?organization=B1").status_code == 404
    assert member.get("/api/roles").json()["items"] == []
    assert member.delete(f"/api/roles/{mine.pk}").status_code == 404


def test_the_roles_list_and_page_do_not_grow_in_queries(client, district):
    from kaoping.orgs.services import member_link_user
    from kaoping.testing.factories import MemberFactory, UserFactory
    from kaoping.testing.queries import page_query_counts

    made = []

    def grow(n):
        for _ in range(n):
            i = len(made)
            user = UserFactory(username=f"holder{i}")
            member = MemberFactory(code=f"H{i:02d}", branch=district.b1)
            member_link_user(actor=None, member=member, user=user)
            RoleAssignment.objects.create(
                user=user, organization=district.b1, role=Role.BRANCH_COMMITTEE
            )
            made.append(user.username)

    client.force_login(district.sec1)
    for url in ("/api/roles?organization=B1", "/accounts/B1/roles/"):
        counts, body = page_query_counts(client, url, grow)
        assert counts[0] == counts[1], (url, counts)
        assert all(f"{name}<" in body or f'"{name}"' in body for name in made), url
