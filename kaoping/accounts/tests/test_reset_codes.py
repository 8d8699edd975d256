"""Reset codes: issued by the admin or the member's secretary, work once, expire, and
wrong ones count toward the login lockout."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone

from kaoping.accounts.models import AccountState, ResetCode
from kaoping.accounts.services.passwords import code_hash, reset_code_issue
from kaoping.audit.models import AuditEvent

from .conftest import NEW_PASSWORD, code_on, login, signed_in

pytestmark = pytest.mark.django_db
REDEEM = "/password/reset-code/"


def issue(client, code="M1"):
    return client.post(f"/members/{code}/login/reset-code/", {"confirm": "1"})


def redeem(client, code, username="member1", password=NEW_PASSWORD, ip="10.5.5.5"):
    data = {"username": username, "code": code, "password1": password, "password2": password}
    return client.post(REDEEM, data, REMOTE_ADDR=ip)


def test_code_works_once(client, district):
    d = district
    AccountState.objects.create(user=d.member1, must_change_password=True)
    client.force_login(d.sec1)
    member_page = client.get("/members/M1/login/", headers={"HX-Request": "true"})
    assert "/members/M1/login/reset-code/" in member_page.content.decode()
    confirm = client.get("/members/M1/login/reset-code/")
    assert "只显示这一次" in confirm.content.decode()
    assert not ResetCode.objects.exists()  # the GET is the confirmation only
    page = issue(client)
    assert page.status_code == 200
    code = code_on(page)
    stored = ResetCode.objects.get()
    assert stored.code_hash == code_hash(code) and code not in stored.code_hash
    assert timedelta(hours=23) < stored.expires_at - timezone.now() <= timedelta(hours=24)
    assert AuditEvent.objects.filter(action="account.reset_code_issue").count() == 1

    anonymous = client.__class__()
    assert "用重置码设置密码" in anonymous.get("/login/").content.decode()
    weak = redeem(anonymous, code, password="1234567890123")
    assert weak.status_code == 400  # the validators apply, the code stays usable
    answer = redeem(anonymous, code.lower().replace("-", " "))
    assert answer.status_code == 302 and answer["Location"] == "/login/"
    assert not signed_in(anonymous)
    state = AccountState.objects.get(user=d.member1)
    assert not state.must_change_password
    assert AuditEvent.objects.filter(action="account.reset_code_redeem").count() == 1

    again = redeem(anonymous, code, password="Another-Pass-2026")
    assert again.status_code == 400 and "已经用过" in again.content.decode()
    assert login(anonymous, "member1", NEW_PASSWORD).status_code == 302
    assert anonymous.get("/me/").status_code == 200  # no forced change after a reset code


def test_expired_and_voided_codes_are_refused(client, district):
    d = district
    client.force_login(d.admin)
    first = code_on(issue(client))
    second = code_on(issue(client))
    anonymous = client.__class__()
    page = redeem(anonymous, first)
    assert page.status_code == 400 and "已作废" in page.content.decode()
    ResetCode.objects.filter(code_hash=code_hash(second)).update(  # issued 25 hours ago
        issued_at=timezone.now() - timedelta(hours=25),
        expires_at=timezone.now() - timedelta(hours=1),
    )
    page = redeem(anonymous, second)
    assert page.status_code == 400 and "已过期" in page.content.decode()
    assert login(anonymous, "member1", NEW_PASSWORD).status_code == 200  # nothing changed
    assert not signed_in(anonymous)


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_wrong_codes_count_toward_the_lockout(client, district):
    d = district
    client.force_login(d.sec1)
    code = code_on(issue(client))
    anonymous = client.__class__()
    for _ in range(2):
        page = redeem(anonymous, "AAAA-BBBB-CCCC")
        assert page.status_code == 400 and "不正确" in page.content.decode()
    page = redeem(anonymous, "AAAA-BBBB-CCCC")
    assert "账号已暂时锁定" in page.content.decode()
    page = redeem(anonymous, code)  # even the right code, while locked
    assert "账号已暂时锁定" in page.content.decode()
    assert ResetCode.objects.get().used_at is None
    assert (
        d.member1.sign_ins.filter(succeeded=False, method="reset_code").count() >= 3  # recorded
    )


def test_secretary_cannot_issue_outside_their_branch(client, district):
    d = district
    client.force_login(d.sec1)
    assert issue(client, "M2").status_code == 404  # not visible: like a missing member
    client.force_login(d.orgdept)  # reads everything, manages nothing
    assert issue(client, "M2").status_code == 403
    client.force_login(d.member1)
    assert issue(client, "M1").status_code == 403
    with pytest.raises(PermissionDenied):
        reset_code_issue(actor=d.sec1, member=d.m2)
    assert not ResetCode.objects.exists()


def test_a_member_without_a_login_gets_no_code(client, district):
    client.force_login(district.admin)
    page = issue(client, "M1B")
    assert page.status_code == 400 and "还没有登录账号" in page.content.decode()
    assert not ResetCode.objects.exists()


def test_member_page_offers_the_login_panel_to_staff_only(client, district):
    client.force_login(district.sec1)
    assert "/members/M1/login/" in client.get("/members/M1/").content.decode()
    client.force_login(district.member1)
    assert "/members/M1/login/" not in client.get("/me/").content.decode()
