"""Two-factor login (django-otp TOTP) over HTTP, with real tokens computed from the
device's secret (django_otp.oath.totp)."""

import base64
import re

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kaoping.api.services import api_token_create
from kaoping.audit.models import AuditEvent
from kaoping.ledger.models import ScoreEntry
from kaoping.web.tests.test_views import entry_post

PASSWORD = "pass-for-tests-1"


def token(device, drift=0) -> str:
    """The device's token now (``drift`` steps later: a fresh one the device accepts)."""
    return f"{totp(device.bin_key, step=device.step, digits=device.digits, drift=drift):06d}"


def login(client, username, otp_token=""):
    return client.post(
        "/login/", {"username": username, "password": PASSWORD, "otp_token": otp_token}
    )


def enrol(client, user) -> TOTPDevice:
    client.force_login(user)
    page = client.get("/me/two-factor/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    body = page.content.decode()
    assert "<svg" in body and 'class="qr"' in body and "otpauth://totp/" in body
    secret = re.search(r'<code class="secret">([A-Z2-7=]+)</code>', body).group(1)
    assert secret == base64.b32encode(device.bin_key).decode()
    response = client.post("/me/two-factor/", {"action": "confirm", "token": token(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    client.logout()
    return device


def wrong_token(device) -> str:
    window = {token(device, d) for d in (-1, 0, 1, 2)}
    return next(t for t in ("000000", "111111", "222222") if t not in window)


# django-otp's own throttle (a pause after a bad token) is off here: a fixed sleep made the
# test flaky on a loaded machine, and the lockout under test is axes'.
@override_settings(AXES_ENABLED=True, OTP_TOTP_THROTTLE_FACTOR=0)
def test_secretary_enrols_then_login_needs_the_token(client, district):
    device = enrol(client, district.sec1)
    assert AuditEvent.objects.filter(action="two_factor.enable").count() == 1
    refused = login(client, "sec1")
    assert refused.status_code == 200 and "动态口令" in refused.content.decode()
    assert client.get("/overview/").status_code == 302  # not signed in
    wrong = login(client, "sec1", wrong_token(device))
    assert wrong.status_code == 200
    assert AccessAttempt.objects.get(username="sec1").failures_since_start == 2
    signed_in = login(client, "sec1", token(device, 1))
    assert signed_in.status_code == 302
    assert client.get("/branches/B1/").status_code == 200


def test_a_token_cannot_be_used_twice(client, district):
    device = enrol(client, district.sec1)
    fresh = token(device, 1)
    assert login(client, "sec1", fresh).status_code == 302
    client.logout()
    assert login(client, "sec1", fresh).status_code == 200


def test_users_without_a_device_log_in_with_the_password_only(client, district):
    assert login(client, "sec2").status_code == 302
    client.logout()
    assert login(client, "member1").status_code == 302


def test_enrolment_refuses_a_wrong_token_and_is_for_staff_only(client, district):
    client.force_login(district.admin)
    client.get("/me/two-factor/")
    response = client.post("/me/two-factor/", {"action": "confirm", "token": "12345x"})
    assert response.status_code == 400 and "动态口令" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    client.force_login(district.member1)
    assert client.get("/me/two-factor/").status_code == 404


def test_switching_off_needs_a_current_token(client, district):
    device = enrol(client, district.admin)
    assert login(client, "admin", token(device, 1)).status_code == 302
    page = client.get("/me/two-factor/")
    assert "关闭两步验证" in page.content.decode()
    bad = client.post("/me/two-factor/", {"action": "remove", "token": "abc"})
    assert bad.status_code == 400 and TOTPDevice.objects.filter(user=district.admin).exists()
    device.refresh_from_db()
    # the login used step t+1 and synchronised the drift: the next fresh token is t+2
    ok = client.post("/me/two-factor/", {"action": "remove", "token": token(device, 2)})
    assert ok.status_code == 302
    assert not TOTPDevice.objects.filter(user=district.admin).exists()
    assert AuditEvent.objects.filter(action="two_factor.disable").count() == 1


@pytest.fixture
def required(settings):
    settings.KAOPING_REQUIRE_2FA_FOR_STAFF = True


def test_when_required_staff_must_enrol_before_anything_else(client, district, required):
    assert login(client, "sec1").status_code == 302
    response = client.get("/branches/B1/")
    assert response.status_code == 302 and response["Location"] == "/me/two-factor/"
    assert client.get("/api/me").status_code == 403
    page = client.get("/me/two-factor/")
    assert "要求管理人员启用两步验证" in page.content.decode()
    device = TOTPDevice.objects.get(user=district.sec1)
    client.post("/me/two-factor/", {"action": "confirm", "token": token(device)})
    assert client.get("/branches/B1/").status_code == 200  # enrolling verified the session
    client.logout()
    assert login(client, "sec1").status_code == 200  # from now on the token is asked
    assert login(client, "sec1", token(device, 1)).status_code == 302
    assert client.get("/branches/B1/").status_code == 200


def test_when_required_members_are_not_concerned(client, district, required):
    assert login(client, "member1").status_code == 302
    assert client.get("/me/").status_code == 200


def test_when_required_a_session_signed_in_before_is_asked_for_a_token(
    client, district, required, settings
):
    settings.KAOPING_REQUIRE_2FA_FOR_STAFF = False
    device = enrol(client, district.sec1)
    client.force_login(district.sec1)  # e.g. a session from before the setting was on
    settings.KAOPING_REQUIRE_2FA_FOR_STAFF = True
    assert client.get("/overview/")["Location"] == "/me/two-factor/"
    verify = client.post("/me/two-factor/", {"action": "verify", "token": token(device, 1)})
    assert verify.status_code == 302
    assert client.get("/overview/").status_code == 200


# A stray Authorization header is not a credential: the session behind it is judged as a
# session (issue 15, item 1). Only an API call with a valid bearer token skips the check.
STRAY_HEADERS = [
    pytest.param("Basic x", id="basic"),
    pytest.param("", id="empty"),
    pytest.param("Bearer not-a-token", id="wrong-bearer"),
]


@pytest.mark.parametrize("header", STRAY_HEADERS)
def test_when_required_a_stray_authorization_header_does_not_skip_two_factor(
    client, district, required, header
):
    assert login(client, "sec2").status_code == 302
    page = client.get("/branches/B2/", headers={"Authorization": header})
    assert page.status_code == 302 and page["Location"] == "/me/two-factor/"
    api = client.get("/api/me", headers={"Authorization": header})
    assert api.status_code in (401, 403)
    before = ScoreEntry.objects.count()
    posted = client.post(
        "/branches/B2/entries/",
        entry_post(district, member=district.m2.pk),
        headers={"Authorization": header},
    )
    assert posted.status_code == 302 and posted["Location"] == "/me/two-factor/"
    assert ScoreEntry.objects.count() == before


def test_when_required_a_valid_bearer_token_still_serves_the_api(client, district, required):
    _, raw = api_token_create(actor=district.sec2, user=district.sec2, name="script")
    assert login(client, "sec2").status_code == 302  # an unverified session beside it
    bearer = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/me", headers=bearer).status_code == 200
    # a token sent to a page is no credential there: the page is the session's
    page = client.get("/branches/B2/", headers=bearer)
    assert page.status_code == 302 and page["Location"] == "/me/two-factor/"
    client.logout()
    assert client.get("/api/me", headers=bearer).status_code == 200
