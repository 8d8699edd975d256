"""When a member leaves (transferred out, deceased, 除名) their login is closed in the same
transaction; a transfer inside the deployment keeps it. Closing and reopening by hand."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from kaoping.audit.models import AuditEvent
from kaoping.orgs.models import Member
from kaoping.orgs.services import MemberRow, member_upsert, members_import
from kaoping.unqualified import services as unqualified
from kaoping.unqualified.models import CaseStep
from kaoping.unqualified.tests.support import pre_reviewed, propose

from .conftest import login, signed_in

pytestmark = pytest.mark.django_db
Body = CaseStep.Body


def can_log_in(client, username: str) -> bool:
    fresh = client.__class__()
    login(fresh, username)
    return signed_in(fresh)


def closed_for(member) -> bool:
    return AuditEvent.objects.filter(
        action="member.login_close", target_type="orgs.member", target_id=str(member.pk)
    ).exists()


def test_transferred_out_member_cannot_log_in(client, district):
    d = district
    login(client, "member1")
    assert client.get("/me/").status_code == 200
    secretary = client.__class__()
    secretary.force_login(d.sec1)
    answer = secretary.post(
        reverse("archive:transfer", args=["M1"]),
        {"destination": "市外某单位", "date": "2026-06-01", "reason": "工作调动"},
    )
    assert answer.status_code == 302
    d.m1.refresh_from_db()
    assert d.m1.status == Member.Status.TRANSFERRED_OUT
    assert not can_log_in(client, "member1")
    assert client.get("/me/").status_code == 302  # the open session ends too
    assert closed_for(d.m1)
    assert d.m1.user_id == d.member1.pk  # the records stay linked


def test_transfer_inside_keeps_the_login_and_moves_the_scope(client, district):
    d = district
    client.force_login(d.sec1)
    answer = client.post(
        reverse("archive:transfer", args=["M1"]),
        {"to_branch": d.b2.pk, "date": "2026-06-01", "reason": "工作调动"},
    )
    assert answer.status_code == 302
    assert can_log_in(client, "member1") and not closed_for(d.m1)
    assert client.post("/members/M1/login/reset-code/", {"confirm": "1"}).status_code == 404
    client.force_login(d.sec2)
    assert client.post("/members/M1/login/reset-code/", {"confirm": "1"}).status_code == 200


def test_deceased_through_the_roster_import_and_member_upsert(district):
    d = district
    members_import(
        actor=d.admin,
        rows=[MemberRow(code="M1", name="张三", branch=d.b1, status=Member.Status.DECEASED)],
    )
    d.member1.refresh_from_db()
    assert not d.member1.is_active and closed_for(d.m1)
    member_upsert(
        actor=d.sec2, code="M2", name="王五", branch=d.b2, status=Member.Status.TRANSFERRED_OUT
    )
    d.member2.refresh_from_db()
    assert not d.member2.is_active
    assert not can_log_in(Client(), "member2")


def test_final_removal_closes_the_login(client, district):
    d = district
    case = pre_reviewed(d, propose(d))
    case = unqualified.case_vote_record(
        actor=d.sec1,
        case=case,
        held_on=datetime.date(2026, 3, 1),
        entitled=2,
        present=2,
        in_favour=2,
        against=0,
        abstaining=0,
    )
    for body, actor in ((Body.COMMITTEE, d.admin), (Body.ORG_DEPARTMENT, d.orgdept)):
        case = unqualified.case_approve(actor=actor, case=case, body=body, approve=True)
    assert can_log_in(client, "member1")
    client.force_login(d.sec1)
    client.post(
        reverse("unqualified:detail", args=[case.code]),
        {
            "action": "handling",
            "handling-kind": "removal",
            "handling-decided_on": "2026-06-01",
            "handling-completed_on": "2026-06-15",
            "confirm": "1",  # the step asks first (its consequences), then records
        },
    )
    assert case.handlings.get().kind == "removal"
    assert not can_log_in(client, "member1") and closed_for(d.m1)


def test_deactivate_and_reactivate_by_hand(client, district):
    d = district
    client.force_login(d.sec1)
    url = "/members/M1/login/deactivate/"
    assert "确认后将会" in client.get(url).content.decode()
    assert client.post(url, {"reason": "本人申请"}).status_code == 200  # no confirm: nothing
    assert can_log_in(client, "member1")
    assert client.post(url, {"confirm": "1", "reason": ""}).status_code == 400
    assert client.post(url, {"confirm": "1", "reason": "本人申请"}).status_code == 302
    assert not can_log_in(client, "member1")
    event = AuditEvent.objects.get(action="member.login_close")
    assert event.actor == d.sec1 and event.note == "本人申请"
    panel = client.get("/members/M1/login/").content.decode()
    assert "已停用" in panel and "/members/M1/login/reactivate/" in panel
    back = "/members/M1/login/reactivate/"
    assert "确认后将会" in client.post(back).content.decode()
    assert client.post(back, {"confirm": "1"}).status_code == 302
    assert can_log_in(client, "member1")
    client.force_login(d.sec2)
    assert client.post(url, {"confirm": "1", "reason": "x"}).status_code == 404


def test_a_member_who_left_is_not_reactivated(client, district):
    d = district
    member_upsert(
        actor=d.sec1, code="M1", name="张三", branch=d.b1, status=Member.Status.TRANSFERRED_OUT
    )
    client.force_login(d.admin)
    page = client.post("/members/M1/login/reactivate/", {"confirm": "1"})
    assert page.status_code == 400 and "不能恢复账号" in page.content.decode()
    assert not can_log_in(client, "member1")
