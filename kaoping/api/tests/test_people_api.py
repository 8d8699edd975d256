"""The roster and the organisation tree through the API (issue 20): adding and changing a
member (the branch's officers), adding and changing an organisation (the committee's
admin), each with its refusals, and the page and the API ending in the same state."""

import pytest

from kaoping.audit.models import AuditEvent
from kaoping.orgs.models import Member, Organization
from kaoping.testing.api import assert_statuses, bearer, invalid, send, session

pytestmark = pytest.mark.django_db


def test_an_officer_adds_a_member_and_changes_them(district):
    d = district
    sec = bearer(d.sec1)
    answer = send(sec, "POST", "/api/branches/B1/members", {"code": "M9", "name": "孙九"})
    assert answer.status_code == 201, answer.content
    assert answer.json() == {
        "code": "M9",
        "name": "孙九",
        "branch": "B1",
        "status": "active",
        "membership": "full",
    }
    changed = send(sec, "PUT", "/api/members/M9", {"name": "孙久", "membership": "probationary"})
    assert changed.status_code == 200, changed.content
    member = Member.objects.get(code="M9")
    assert (member.name, member.membership, member.status) == ("孙久", "probationary", "active")
    assert AuditEvent.objects.filter(action="member.upsert", target_id=str(member.pk)).count() == 2


def test_member_refusals(district):
    d = district
    url = "/api/branches/B1/members"
    good = {"code": "M9", "name": "孙九"}
    assert_statuses("POST", url, {d.member1: 404, d.sec2: 404, d.orgdept: 403}, good)
    assert send(bearer(d.sec1), "POST", "/api/branches/P1/members", good).status_code in {404, 422}
    sec = bearer(d.sec1)
    taken = send(sec, "POST", url, good | {"code": "M2"})  # B2's member: codes are district-wide
    assert taken.status_code == 422 and "已被使用" in taken.json()["errors"]["code"][0]
    assert "name" in invalid(sec, "POST", url, good | {"name": ""})
    status = send(sec, "POST", url, good | {"status": "retired"})
    assert status.status_code == 422 and "status" in status.json()["errors"]
    assert "code" in invalid(sec, "POST", url, good | {"code": "M 9/"})
    assert not Member.objects.filter(code__in=["M9", "M 9/"]).exists()
    # changing: another branch's member is not found; no status in the body
    change = {"name": "改", "membership": "full"}
    assert send(sec, "PUT", "/api/members/M2", change).status_code == 404
    assert send(bearer(d.member1), "PUT", "/api/members/M1", change).status_code == 403
    send(sec, "PUT", "/api/members/M1", change | {"status": "deceased"})
    assert Member.objects.get(code="M1").status == "active"


def test_the_page_and_the_api_add_the_same_member(district):
    d = district
    page = session(d.sec1).post(
        "/branches/B1/members/",
        {"code": "P9", "name": "页面", "status": "active", "membership": "full"},
    )
    assert page.status_code == 302
    send(bearer(d.sec1), "POST", "/api/branches/B1/members", {"code": "A9", "name": "页面"})
    by_page, by_api = Member.objects.get(code="P9"), Member.objects.get(code="A9")
    fields = ("name", "branch_id", "status", "membership", "user_id")
    assert [getattr(by_page, f) for f in fields] == [getattr(by_api, f) for f in fields]
    # the page refuses a taken code with the service's message on the field
    again = session(d.sec1).post(
        "/branches/B1/members/",
        {"code": "A9", "name": "重复", "status": "active", "membership": "full"},
    )
    assert again.status_code == 200 and "编号 A9 已被使用。" in again.content.decode()


def test_the_admin_adds_and_moves_an_organisation(district):
    d = district
    admin = bearer(d.admin)
    body = {"code": "B3", "name": "第三党支部", "kind": "branch", "parent": "P1"}
    answer = send(admin, "POST", "/api/organizations", body)
    assert answer.status_code == 201, answer.content
    assert answer.json() == body | {"category": "in_service"}
    moved = send(
        admin,
        "PUT",
        "/api/organizations/B3",
        {"name": "第三党支部", "kind": "branch", "parent": "W", "category": "retired"},
    )
    assert moved.status_code == 200, moved.content
    org = Organization.objects.get(code="B3")
    assert (org.parent.code, org.path, org.category) == ("W", "/W/B3/", "retired")


def test_organisation_refusals(district):
    d = district
    body = {"code": "B3", "name": "第三党支部", "kind": "branch", "parent": "P1"}
    assert_statuses(
        "POST", "/api/organizations", {d.sec1: 403, d.member1: 404, d.orgdept: 403}, body
    )
    admin = bearer(d.admin)
    taken = send(admin, "POST", "/api/organizations", body | {"code": "B1"})
    assert taken.status_code == 422 and "已被使用" in taken.json()["errors"]["code"][0]
    assert "parent" in invalid(admin, "POST", "/api/organizations", body | {"parent": "B1"})
    nowhere = send(admin, "POST", "/api/organizations", body | {"parent": "NOPE"})
    assert nowhere.status_code == 422 and "NOPE" in nowhere.json()["errors"]["parent"][0]
    kind = send(admin, "POST", "/api/organizations", body | {"kind": "club"})
    assert kind.status_code == 422 and "kind" in kind.json()["errors"]
    assert not Organization.objects.filter(code="B3").exists()
    # a loop: P1 under its own branch's parent chain
    loop = send(
        admin, "PUT", "/api/organizations/W", {"name": "工委", "kind": "committee", "parent": "P1"}
    )
    assert loop.status_code == 422 and "parent" in loop.json()["errors"]
    # a branch with members must stay a branch
    kind_change = send(
        admin, "PUT", "/api/organizations/B1", {"name": "一", "kind": "party_committee"}
    )
    assert kind_change.status_code == 422 and "kind" in kind_change.json()["errors"]
    assert send(bearer(d.sec1), "PUT", "/api/organizations/B1", body).status_code == 403
    assert Organization.objects.get(code="B1").name == "第一党支部"
