"""Access is decided in one place: what each role sees, and the same 404 for missing and
out-of-scope objects."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kaoping.orgs.selectors import (
    branches_visible,
    member_access_by_code,
    members_visible,
    organization_access_by_code,
    organizations_visible,
)


def codes(qs):
    return sorted(x.code for x in qs)


@pytest.mark.parametrize(
    ("who", "members"),
    [
        ("admin", ["M1", "M1B", "M2", "R01"]),
        ("orgdept", ["M1", "M1B", "M2", "R01"]),
        ("sec1", ["M1", "M1B"]),
        ("sec2", ["M2"]),
        ("supervisor", ["M2"]),
        ("member1", ["M1"]),
        ("outsider", []),
    ],
)
def test_members_visible_per_role(district, who, members):
    assert codes(members_visible(actor=getattr(district, who))) == members


def test_anonymous_sees_nothing(district):
    from django.contrib.auth.models import AnonymousUser

    assert not members_visible(actor=AnonymousUser()).exists()
    assert not organizations_visible(actor=AnonymousUser()).exists()


def test_branches_visible(district):
    assert codes(branches_visible(actor=district.admin)) == ["B1", "B2", "R1"]
    assert codes(branches_visible(actor=district.sec1)) == ["B1"]
    assert codes(branches_visible(actor=district.member1)) == ["B1"]


def test_secretary_of_a_party_committee_sees_its_subtree(district):
    from kaoping.testing.factories import UserFactory, grant

    boss = UserFactory(username="p1sec")
    grant(boss, district.p1, "secretary")
    assert codes(members_visible(actor=boss)) == ["M1", "M1B", "M2"]
    assert member_access_by_code(actor=boss, code="M2", manage=True) == district.m2


@pytest.mark.parametrize("who", ["member1", "sec1", "outsider"])
def test_out_of_scope_member_is_indistinguishable_from_missing(district, who):
    actor = getattr(district, who)
    with pytest.raises(Http404) as out_of_scope:
        member_access_by_code(actor=actor, code="M2")
    with pytest.raises(Http404) as missing:
        member_access_by_code(actor=actor, code="NO-SUCH")
    assert str(out_of_scope.value) == str(missing.value)


@pytest.mark.parametrize("who", ["member2", "sec2", "outsider"])
def test_out_of_scope_branch_is_404(district, who):
    with pytest.raises(Http404):
        organization_access_by_code(actor=getattr(district, who), code="B1")


def test_member_reads_self_but_cannot_manage(district):
    assert member_access_by_code(actor=district.member1, code="M1") == district.m1
    with pytest.raises(PermissionDenied):  # visible, so 403 rather than 404
        member_access_by_code(actor=district.member1, code="M1", manage=True)
    with pytest.raises(Http404):
        member_access_by_code(actor=district.member1, code="M1B")


def test_read_only_roles_cannot_manage(district):
    for who in ("orgdept", "supervisor"):
        with pytest.raises(PermissionDenied):
            member_access_by_code(actor=getattr(district, who), code="M2", manage=True)
