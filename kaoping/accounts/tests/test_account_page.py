"""我的账号: roles, sign-ins, and staff's API tokens."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from kaoping.accounts.models import SignIn
from kaoping.api.models import ApiToken
from kaoping.api.services import api_token_create

from .conftest import login

pytestmark = pytest.mark.django_db


def test_account_page_shows_roles_and_sign_ins(client, district, django_assert_max_num_queries):
    d = district
    assert login(client, "sec1", "wrong-password", ip="10.9.8.7").status_code == 200
    assert login(client, "sec1", ip="10.1.2.3").status_code == 302
    with django_assert_max_num_queries(12):
        page = client.get("/account/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "支部书记 · 第一党支部" in html
    assert "/me/two-factor/" in html and "/account/tokens/" in html
    assert 'name="old_password"' in html and 'name="language"' in html
    rows = re.findall(r"<tr>\s*<td>[^<]+</td>\s*<td>([^<]+)</td>\s*<td>(.*?)</td>", html)
    assert rows == [("10.1.2.3", "成功"), ("10.9.8.7", "<strong>失败</strong>")]
    assert list(SignIn.objects.filter(user=d.sec1).values_list("method", flat=True)) == [
        "password",
        "password",
    ]
    # The header links every signed-in user to their account.
    assert 'href="/account/"' in client.get("/branches/B1/").content.decode()


def test_member_sees_their_record_link_and_no_tokens(client, district):
    login(client, "member1")
    html = client.get("/account/").content.decode()
    assert "我的党员记录：张三（M1）" in html and "您没有任何岗位" in html
    assert "/account/tokens/" not in html
    assert client.get("/account/tokens/").status_code == 404


def test_only_the_last_twenty_sign_ins_are_shown_and_old_ones_go(client, district):
    d = district
    old = timezone.now() - timedelta(days=200)
    SignIn.objects.bulk_create(
        SignIn(user=d.sec1, at=old + timedelta(minutes=i), succeeded=True, method="password")
        for i in range(30)
    )
    login(client, "sec1")
    assert SignIn.objects.filter(user=d.sec1).count() == 1  # older than 90 days: gone
    html = client.get("/account/").content.decode()
    assert html.count("<td>成功</td>") == 1


def test_token_created_once_used_and_revoked(client, district):
    login(client, "sec1")
    page = client.post("/account/tokens/", {"name": "统计脚本", "days": "30"})
    assert page.status_code == 201
    raw = re.search(r"<code>(kp_[^<]+)</code>", page.content.decode())[1]
    listing = client.get("/account/tokens/").content.decode()
    assert raw not in listing and "统计脚本" in listing and raw[:8] in listing
    token = ApiToken.objects.get(name="统计脚本")
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)

    api = client.__class__()
    assert api.get("/api/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    confirm = client.post(f"/account/tokens/{token.pk}/revoke/")
    assert confirm.status_code == 200 and "撤销后不能恢复" in confirm.content.decode()
    assert api.get("/api/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    revoke = client.post(f"/account/tokens/{token.pk}/revoke/", {"confirm": "1"})
    assert revoke.status_code == 302
    assert api.get("/api/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert "已撤销" in client.get("/account/tokens/").content.decode()


def test_token_form_refuses_bad_input(client, district):
    login(client, "sec1")
    assert client.post("/account/tokens/", {"name": "", "days": "30"}).status_code == 400
    assert client.post("/account/tokens/", {"name": "x", "days": "9999"}).status_code == 400
    assert client.post("/account/tokens/", {"name": "a\x00b", "days": "30"}).status_code == 400
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(client, district):
    d = district
    token, _raw = api_token_create(actor=None, user=d.sec2, name="B2")
    login(client, "sec1")
    answer = client.post(f"/account/tokens/{token.pk}/revoke/", {"confirm": "1"})
    assert answer.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_expired_token_is_refused(client, district):
    d = district
    token, raw = api_token_create(
        actor=None, user=d.sec1, name="短期", expires_at=timezone.now() + timedelta(hours=1)
    )
    assert client.get("/api/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    login(client, "sec1")
    assert "已过期" in client.get("/account/tokens/").content.decode()
