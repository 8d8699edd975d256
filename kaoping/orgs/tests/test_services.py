import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaoping.audit.models import AuditEvent
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.services import member_upsert, organization_upsert


def test_admin_builds_the_tree_and_paths_follow_moves(district):
    gb = organization_upsert(
        actor=district.admin,
        code="G1",
        name="区发改委机关党总支",
        kind="general_branch",
        parent=district.root,
    )
    b3 = organization_upsert(
        actor=district.admin, code="B3", name="第三党支部", kind="branch", parent=gb
    )
    assert b3.path == "/W/G1/B3/"
    organization_upsert(
        actor=district.admin,
        code="G1",
        name="区发改委机关党总支",
        kind="general_branch",
        parent=district.p1,
    )
    assert Organization.objects.get(code="B3").path == "/W/P1/G1/B3/"
    assert (
        AuditEvent.objects.filter(action="organization.upsert", target_id=str(gb.pk)).count() == 2
    )


def test_secretary_cannot_change_the_tree(district):
    with pytest.raises(PermissionDenied):
        organization_upsert(
            actor=district.sec1, code="X", name="X", kind="branch", parent=district.p1
        )


def test_branch_cannot_hold_organizations(district):
    with pytest.raises(ValidationError, match="是党支部，不能有下级组织"):
        organization_upsert(
            actor=district.admin, code="X", name="X", kind="branch", parent=district.b1
        )


def test_subtree_cannot_become_its_own_parent(district):
    inner = organization_upsert(
        actor=district.admin, code="G9", name="总支", kind="general_branch", parent=district.p1
    )
    with pytest.raises(ValidationError, match="不能作为它的上级"):
        organization_upsert(
            actor=district.admin, code="P1", name="P1", kind="party_committee", parent=inner
        )


def test_secretary_keeps_own_roster_only(district):
    member = member_upsert(
        actor=district.sec1,
        code="M9",
        name="新同志",
        branch=district.b1,
        membership=Member.Membership.PROBATIONARY,
    )
    assert member.branch == district.b1
    with pytest.raises(PermissionDenied):
        member_upsert(actor=district.sec1, code="M10", name="外支部", branch=district.b2)
    with pytest.raises(PermissionDenied):  # nor move someone out of another branch
        member_upsert(actor=district.sec1, code="M2", name="王五", branch=district.b1)


def test_members_belong_to_branches_only(district):
    with pytest.raises(ValidationError, match="不是党支部"):
        member_upsert(actor=district.admin, code="M9", name="x", branch=district.p1)


def test_transfer_keeps_ledger(district):
    import datetime

    from kaoping.ledger.services import entry_record

    entry_record(
        actor=district.admin,
        member=district.m1,
        item=district.scheme.items.get(code="D01"),
        date=datetime.date(2026, 2, 1),
    )
    moved = member_upsert(actor=district.admin, code="M1", name="张三", branch=district.b2)
    assert moved.branch == district.b2
    assert moved.entries.count() == 1
