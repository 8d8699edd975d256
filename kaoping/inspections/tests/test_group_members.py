"""Supervision-group members (issue 16): adding a member grants the supervisor role over
the group's organisations (through orgs.roles), removing one revokes it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kaoping.audit.models import AuditEvent
from kaoping.inspections.models import Inspection
from kaoping.inspections.services import group_create
from kaoping.notifications.models import Notification
from kaoping.orgs.models import RoleAssignment
from kaoping.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
Role = RoleAssignment.Role


def test_a_member_added_on_the_group_page_can_record_there_and_loses_it_when_removed(
    client, district
):
    d = district
    group = group_create(
        actor=d.admin, name="作风督查组", users=[d.supervisor], organizations=[d.b1]
    )
    newcomer = UserFactory(username="inspector")
    client.force_login(d.admin)
    page = client.get(reverse("inspections:group", args=[group.code]))
    assert page.status_code == 200 and "加入督查组" in page.content.decode()
    added = client.post(
        reverse("inspections:member_add", args=[group.code]), {"person": "inspector"}
    )
    assert added.status_code == 302
    role = RoleAssignment.objects.get(user=newcomer, role=Role.SUPERVISOR)
    assert role.organization == d.b1
    assert AuditEvent.objects.filter(action="role.grant", actor=d.admin).exists()
    assert Notification.objects.filter(user=newcomer).exists()
    again = client.post(
        reverse("inspections:member_add", args=[group.code]), {"person": "inspector"}
    )
    assert again.status_code == 400
    # the new member records an inspection and a finding in B1
    client.force_login(newcomer)
    client.post(
        reverse("inspections:group", args=[group.code]),
        {"organization": d.b1.pk, "date": "2026-05-06", "method": "camera", "findings": "迟到"},
    )
    inspection = Inspection.objects.get()
    found = client.post(
        reverse("inspections:detail", args=[inspection.code]),
        {
            "member": d.m1.pk,
            "item": d.scheme.items.get(code="D07").pk,
            "evidence_text": "监控显示迟到",
        },
    )
    assert found.status_code == 302 and inspection.items.count() == 1
    # members do not manage the group
    assert (
        client.post(
            reverse("inspections:member_add", args=[group.code]), {"person": "outsider"}
        ).status_code
        == 403
    )
    # removal: confirmed first, then the role goes with the membership
    client.force_login(d.admin)
    url = reverse("inspections:member_remove", args=[group.code, newcomer.pk])
    assert "确认移出" in client.get(url).content.decode()
    assert RoleAssignment.objects.filter(pk=role.pk).exists()
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert not RoleAssignment.objects.filter(pk=role.pk).exists()
    assert not group.users.filter(pk=newcomer.pk).exists()
    client.force_login(newcomer)
    assert client.get(reverse("inspections:group", args=[group.code])).status_code == 404


def test_removal_keeps_the_role_where_another_group_still_covers(district):
    from kaoping.inspections.services import group_member_add, group_member_remove

    d = district
    first = group_create(actor=d.admin, name="一组", users=[d.supervisor], organizations=[d.b1])
    second = group_create(actor=d.admin, name="二组", users=[d.supervisor], organizations=[d.b1])
    user = UserFactory(username="two_groups")
    group_member_add(actor=d.admin, group=first, user=user)
    group_member_add(actor=d.admin, group=second, user=user)
    assert RoleAssignment.objects.filter(user=user, role=Role.SUPERVISOR).count() == 1
    group_member_remove(actor=d.admin, group=first, user=user)
    assert RoleAssignment.objects.filter(user=user, role=Role.SUPERVISOR).count() == 1
    group_member_remove(actor=d.admin, group=second, user=user)
    assert not RoleAssignment.objects.filter(user=user, role=Role.SUPERVISOR).exists()
    with pytest.raises(PermissionDenied):  # a supervisor does not manage groups
        group_member_add(actor=d.supervisor, group=first, user=user)
