"""Roles through the pages (issue 16): who may grant what, the last committee admin, the
audit row and the notification, and what a new 支委 can then do."""

import pytest
from django.urls import reverse

from kaoping.audit.models import AuditEvent
from kaoping.ledger.models import ScoreEntry
from kaoping.notifications.models import Notification
from kaoping.orgs.models import RoleAssignment
from kaoping.orgs.services import member_link_user
from kaoping.testing.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db
Role = RoleAssignment.Role


def _grant(client, org, person, role):
    return client.post(reverse("accounts:roles", args=[org.code]), {"person": person, "role": role})


def member_with_login(code, branch, username):
    user = UserFactory(username=username)
    member_link_user(actor=None, member=MemberFactory(code=code, branch=branch), user=user)
    return user


def _grants():
    return AuditEvent.objects.filter(action__in=["role.grant", "role.revoke"])


def test_a_secretary_grants_a_branch_committee_member_who_then_keeps_the_branch(client, district):
    d = district
    client.force_login(d.sec1)
    page = client.get(reverse("accounts:roles", args=["B1"]))
    assert page.status_code == 200
    assert [v for v, _ in page.context["form"].fields["role"].widget.choices] == [
        "branch_committee"
    ]
    response = _grant(client, d.b1, "M1", Role.BRANCH_COMMITTEE)
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=d.member1, role=Role.BRANCH_COMMITTEE)
    assert assignment.organization == d.b1
    event = _grants().get()
    assert event.actor == d.sec1 and event.action == "role.grant"
    assert event.before == {"user": "member1", "roles": []}
    assert event.after == {"user": "member1", "roles": ["branch_committee@B1"]}
    note = Notification.objects.get(user=d.member1)
    assert "第一党支部" in note.text and "支委" in note.text
    # the new 支委 keeps the branch: records an entry for another member
    client.force_login(d.member1)
    item = d.scheme.items.get(code="D01")
    recorded = client.post(
        reverse("web:entry_create", args=["B1"]),
        {
            "year": 2026,
            "member": d.m1b.pk,
            "item": item.pk,
            "date": "2026-03-05",
            "occurrences": 1,
            "note": "支委录入",
        },
    )
    assert recorded.status_code == 302, recorded.content.decode()[:500]
    assert ScoreEntry.objects.filter(member=d.m1b, recorded_by=d.member1).exists()
    # ... but a 支委 does not grant 支委 (the secretary personally does)
    client.force_login(d.member1)
    member_with_login("M1C", d.b1, "other")
    assert _grant(client, d.b1, "M1C", Role.BRANCH_COMMITTEE).status_code == 403


def test_a_secretary_is_refused_outside_their_branch_and_beyond_their_rights(client, district):
    d = district
    client.force_login(d.sec1)
    for org, person, role in (
        (d.b2, "M2", Role.BRANCH_COMMITTEE),  # another branch
        (d.b2, "M1", Role.SECRETARY),  # secretary of another branch
        (d.root, "M1", Role.COMMITTEE_ADMIN),  # committee admin
        (d.b1, "M1", Role.COMMITTEE_ADMIN),
        (d.b1, "M1", Role.SECRETARY),  # only 支委 within the branch
        (d.p1, "M1", Role.BRANCH_COMMITTEE),  # above the branch
    ):
        response = _grant(client, org, person, role)
        assert response.status_code == 403, (org.code, role)
    assert RoleAssignment.objects.count() == 5 and not _grants().exists()
    assert not Notification.objects.exists()
    # Naming another branch's member in one's own branch: "not found", as a missing one
    # (decisions.md 25: member codes of other branches cannot be probed).
    for person in ("M2", "member2", "NOBODY"):
        response = _grant(client, d.b1, person, Role.BRANCH_COMMITTEE)
        assert response.status_code == 400, person
        assert f"找不到账号或党员“{person}”" in response.content.decode()
    assert not _grants().exists()
    assert client.get(reverse("accounts:roles", args=["B2"])).status_code == 404
    client.force_login(d.orgdept)  # reads everything, grants nothing
    assert client.get(reverse("accounts:roles", args=["B1"])).context["form"] is None
    assert _grant(client, d.b1, "M1", Role.BRANCH_COMMITTEE).status_code == 403
    client.force_login(d.member1)
    assert client.get(reverse("accounts:roles", args=["B1"])).status_code == 404


def test_the_committee_admin_grants_each_role_and_a_person_may_hold_several(client, district):
    d = district
    client.force_login(d.admin)
    person = UserFactory(username="newbie")
    for org, role in (
        (d.root, Role.COMMITTEE_ADMIN),
        (d.root, Role.ORG_DEPARTMENT),
        (d.b2, Role.SECRETARY),
        (d.b1, Role.BRANCH_COMMITTEE),
        (d.p1, Role.SECRETARY),
    ):
        assert _grant(client, org, "newbie", role).status_code == 302, (org.code, role)
    assert set(RoleAssignment.objects.filter(user=person).values_list("role", flat=True)) == {
        "committee_admin",
        "org_department",
        "secretary",
        "branch_committee",
    }
    assert Notification.objects.filter(user=person).count() == 5
    # a root role is not granted on a branch, nor a branch role on the committee
    wrong = _grant(client, d.b1, "newbie", Role.COMMITTEE_ADMIN)
    assert wrong.status_code == 400 and "只能在机关工委授予" in wrong.content.decode()
    assert _grant(client, d.root, "newbie", Role.SECRETARY).status_code == 400
    # twice is refused; an unknown person too; a supervisor goes through the group page
    assert _grant(client, d.b2, "newbie", Role.SECRETARY).status_code == 400
    assert _grant(client, d.b2, "nobody", Role.SECRETARY).status_code == 400
    assert _grant(client, d.b2, "newbie", Role.SUPERVISOR).status_code == 400
    assert _grant(client, d.b1, "M1B", Role.SECRETARY).status_code == 400  # no login yet
    assert RoleAssignment.objects.filter(user=person).count() == 5


def test_the_last_committee_admin_cannot_be_removed(client, district):
    d = district
    admin_role = RoleAssignment.objects.get(user=d.admin, role=Role.COMMITTEE_ADMIN)
    url = reverse("accounts:role_revoke", args=["W", admin_role.pk])
    client.force_login(d.admin)
    page = client.get(url)
    assert page.status_code == 200 and "最后一位机关工委管理员" in page.content.decode()
    refused = client.post(url, {"confirm": "1"})
    assert refused.status_code == 400
    assert RoleAssignment.objects.filter(pk=admin_role.pk).exists() and not _grants().exists()
    # with a second admin, one's own last admin role is still not theirs to revoke
    second = UserFactory(username="admin2")
    _grant(client, d.root, "admin2", Role.COMMITTEE_ADMIN)
    own = client.post(url, {"confirm": "1"})
    assert own.status_code == 400 and "您不能撤销自己" in own.content.decode()
    client.force_login(second)
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert not RoleAssignment.objects.filter(pk=admin_role.pk).exists()
    event = _grants().get(action="role.revoke")
    assert event.actor == second and event.before["roles"] == ["committee_admin@W"]
    assert event.after["roles"] == []
    assert "已被撤销" in Notification.objects.filter(user=d.admin).latest("id").text
    # now admin2 is the last one
    last = RoleAssignment.objects.get(user=second)
    assert (
        client.post(
            reverse("accounts:role_revoke", args=["W", last.pk]), {"confirm": "1"}
        ).status_code
        == 400
    )


def test_revoking_asks_first_and_the_secretary_revokes_only_their_committee_members(
    client, district
):
    d = district
    client.force_login(d.sec1)
    _grant(client, d.b1, "member1", Role.BRANCH_COMMITTEE)
    committee = RoleAssignment.objects.get(role=Role.BRANCH_COMMITTEE)
    url = reverse("accounts:role_revoke", args=["B1", committee.pk])
    page = client.get(url)
    assert page.status_code == 200 and "不能再管理" in page.content.decode()
    assert client.post(url).status_code == 200  # no confirm: nothing changed
    assert RoleAssignment.objects.filter(pk=committee.pk).exists()
    own = RoleAssignment.objects.get(user=d.sec1)
    other = RoleAssignment.objects.get(user=d.sec2)
    for branch, role, status in (("B1", own, 403), ("B2", other, 404)):
        revoke = reverse("accounts:role_revoke", args=[branch, role.pk])
        assert client.post(revoke, {"confirm": "1"}).status_code == status
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert not RoleAssignment.objects.filter(pk=committee.pk).exists()
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("n", [2, 12])
def test_roles_page_query_count_is_constant(client, district, n, django_assert_max_num_queries):
    d = district
    for i in range(n):
        user = member_with_login(f"H{i}", d.b1, f"holder{i}")
        RoleAssignment.objects.create(user=user, organization=d.b1, role=Role.BRANCH_COMMITTEE)
    client.force_login(d.admin)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("accounts:roles", args=["W"]))
    assert page.status_code == 200 and f"holder{n - 1}" in page.content.decode()


def test_what_a_branch_committee_member_shares_with_the_secretary_and_what_not(district):
    """支委 keeps the branch like the secretary (manage scope, the branch body of the
    不合格 procedure, told of leave requests); the secretary alone sees personal data in
    full on a member's own page."""
    from kaoping.archive.selectors import personal_data_full
    from kaoping.meetings.selectors import branch_officers
    from kaoping.orgs.roles import role_grant
    from kaoping.orgs.selectors import scope_for
    from kaoping.unqualified.selectors import bodies_for

    d = district
    committee = member_with_login("M1D", d.b1, "committee1")
    role_grant(actor=d.sec1, user=committee, organization=d.b1, role=Role.BRANCH_COMMITTEE)
    assert scope_for(committee).manages(d.b1.path) and not scope_for(committee).manages(d.b2.path)
    assert bodies_for(committee, d.b1) == bodies_for(d.sec1, d.b1) == frozenset({"branch"})
    assert set(branch_officers(d.b1)) == {d.sec1, committee}
    assert personal_data_full(actor=d.sec1, member=d.m1, own_page=True)
    assert not personal_data_full(actor=committee, member=d.m1, own_page=True)
