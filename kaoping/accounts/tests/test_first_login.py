"""A password given by someone else must be changed before anything else."""

import pytest

from kaoping.accounts.models import AccountState
from kaoping.audit.models import AuditEvent

from .conftest import NEW_PASSWORD, PASSWORD, login, signed_in

pytestmark = pytest.mark.django_db

PAGES = ["/", "/me/", "/members/M1/", "/branches/B1/", "/account/", "/notifications/"]


def test_forced_change_then_own_page(client, must_change):
    d = must_change
    assert login(client, "member1").status_code == 302
    for path in PAGES:
        page = client.get(path)
        assert page.status_code == 302, path
        assert page["Location"] == "/account/password/", path
    htmx = client.get("/me/", headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == "/account/password/"
    api = client.get("/api/me")
    assert api.status_code == 403
    assert "修改初始密码" in api.json()["detail"]
    form = client.get("/account/password/")
    assert form.status_code == 200 and "请先设置自己的新密码" in form.content.decode()

    # The validators apply: too short, all digits.
    for weak in ("short1", "12345678901234"):
        page = client.post(
            "/account/password/",
            {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
        )
        assert page.status_code == 400
        assert client.get("/me/").status_code == 302

    page = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert page.status_code == 302 and page["Location"] == "/"
    assert signed_in(client)  # the session is kept
    own = client.get("/me/")
    assert own.status_code == 200 and "张三" in own.content.decode()
    assert client.get("/api/me").status_code == 200
    state = AccountState.objects.get(user=d.member1)
    assert not state.must_change_password and state.password_changed_at is not None
    event = AuditEvent.objects.get(action="account.password_change")
    assert event.actor == d.member1 and event.after == {"first_login": True}

    client.post("/logout/")
    assert login(client, "member1", NEW_PASSWORD).status_code == 302
    assert client.get("/me/").status_code == 200


def test_logout_language_and_static_stay_open(client, must_change):
    login(client, "member1")
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert client.get("/static/web/kaoping.css").status_code == 200
    assert client.post("/logout/").status_code == 302
    assert not signed_in(client)


def test_a_user_without_the_flag_is_not_stopped(client, district):
    login(client, "member1")
    assert client.get("/me/").status_code == 200
