"""Authentication of the API: bearer tokens (hashed, revocable) and the session (CSRF)."""

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from kaoping.api.models import ApiToken
from kaoping.api.services import api_token_create, api_token_revoke
from kaoping.audit.models import AuditEvent
from kaoping.ledger.models import ScoreEntry

JSON = "application/json"
ENTRY = {"member": "M1", "item": "D01", "date": "2026-05-06"}


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def token(district):
    return api_token_create(actor=district.sec1, user=district.sec1, name="attendance import")


# --------------------------------------------------------------------------- anonymous


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/me"),
        ("get", "/api/organizations"),
        ("get", "/api/members/M1"),
        ("get", "/api/years/2026/results"),
        ("post", "/api/years/2026/entries"),
        ("put", "/api/years/2026/tallies/M1"),
    ],
)
def test_anonymous_is_401(district, method, url):
    response = getattr(Client(), method)(url, {}, content_type=JSON)
    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "detail": "请先登录，或提供有效的 API 令牌。",
        "errors": {},
    }


# --------------------------------------------------------------------------- tokens


def test_token_is_stored_as_a_hash(district, token):
    record, raw = token
    assert raw.startswith("kp_") and len(raw) > 40
    assert record.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert record.prefix == raw[:8]
    assert not ApiToken.objects.filter(key_hash=raw).exists()
    assert raw not in str(list(AuditEvent.objects.values()))
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor == district.sec1
    assert event.after == {"user": "sec1", "name": "attendance import", "prefix": record.prefix}


def test_token_authenticates(district, token):
    record, raw = token
    client = Client()
    response = client.get("/api/me", headers=bearer(raw))
    assert response.status_code == 200
    assert response.json()["username"] == "sec1"
    assert response.json()["roles"] == [{"role": "secretary", "organization": "B1"}]
    record.refresh_from_db()
    assert record.last_used_at is not None
    assert [r["code"] for r in client.get("/api/members", headers=bearer(raw)).json()["items"]] == [
        "M1",
        "M1B",
    ]
    assert client.get("/api/members/M2", headers=bearer(raw)).status_code == 404


def test_token_writes_without_csrf(district, token):
    _, raw = token
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/years/2026/entries", ENTRY, content_type=JSON, headers=bearer(raw))
    assert response.status_code == 201, response.content
    assert response.json()["recorded_by"] == "sec1"
    assert ScoreEntry.objects.count() == 1


@pytest.mark.parametrize(
    "header",
    [
        "Bearer kp_wrong-token",
        "Bearer ",
        "Bearer",
        "Token kp_whatever",
        "Basic c2VjMTpwYXNzLWZvci10ZXN0cy0x",
    ],
)
def test_wrong_token_is_401(district, token, header):
    client = Client(enforce_csrf_checks=True)
    assert client.get("/api/me", headers={"Authorization": header}).status_code == 401
    response = client.post(
        "/api/years/2026/entries", ENTRY, content_type=JSON, headers={"Authorization": header}
    )
    assert response.status_code == 401
    assert not ScoreEntry.objects.exists()


def test_wrong_token_does_not_fall_back_to_the_session(as_user, token):
    client = as_user("sec1")
    assert client.get("/api/me").status_code == 200
    assert client.get("/api/me", headers=bearer("kp_wrong")).status_code == 401


def test_revoked_token_is_401(district, token):
    record, raw = token
    assert Client().get("/api/me", headers=bearer(raw)).status_code == 200
    api_token_revoke(actor=district.sec1, token=record)
    record.refresh_from_db()
    assert record.revoked_at is not None
    assert Client().get("/api/me", headers=bearer(raw)).status_code == 401
    response = Client().post(
        "/api/years/2026/entries", ENTRY, content_type=JSON, headers=bearer(raw)
    )
    assert response.status_code == 401
    assert not ScoreEntry.objects.exists()
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=district.sec1).exists()


def test_token_of_an_inactive_user_is_401(district, token):
    _, raw = token
    district.sec1.is_active = False
    district.sec1.save()
    assert Client().get("/api/me", headers=bearer(raw)).status_code == 401


def test_only_the_owner_or_a_superuser_manages_a_token(district, token):
    record, _ = token
    with pytest.raises(PermissionDenied):
        api_token_create(actor=district.sec2, user=district.sec1, name="x")
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=district.admin, token=record)  # an admin role is not enough
    district.admin.is_superuser = True
    district.admin.save()
    api_token_revoke(actor=district.admin, token=record)
    with pytest.raises(ValidationError):
        api_token_revoke(actor=district.sec1, token=record)


def test_token_needs_a_name(district):
    with pytest.raises(ValidationError):
        api_token_create(actor=None, user=district.sec1, name="  ")
    assert not ApiToken.objects.exists()


def test_create_api_token_command(district):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "sec2", "--name", "dues sync", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert "cannot be shown again" in err.getvalue()
    record = ApiToken.objects.get()
    assert (record.user, record.name, record.prefix) == (district.sec2, "dues sync", raw[:8])
    assert Client().get("/api/me", headers=bearer(raw)).json()["username"] == "sec2"
    with pytest.raises(CommandError, match="nobody"):
        call_command("create_api_token", "nobody", "--name", "x", stdout=out)


def test_create_api_token_command_bounds_the_tokens_life(district):
    """``--days N``: the token expires N days from now (as the account page's tokens do),
    and is refused from then on; out-of-range days are refused and create nothing."""
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_token", "sec2", "--name", "sync", "--days", "30", stdout=out, stderr=err
    )
    raw = out.getvalue().strip()
    record = ApiToken.objects.get()
    assert "valid until " in err.getvalue() and "revoked" not in err.getvalue()
    left = record.expires_at - timezone.now()
    assert datetime.timedelta(days=29, hours=23) < left <= datetime.timedelta(days=30)
    assert Client().get("/api/me", headers=bearer(raw)).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert Client().get("/api/me", headers=bearer(raw)).status_code == 401
    for days in ("0", "3651", "-2"):
        with pytest.raises(CommandError, match="有效天数"):
            call_command("create_api_token", "sec2", "--name", "x", "--days", days, stdout=out)
    assert ApiToken.objects.count() == 1


# --------------------------------------------------------------------------- session


def test_session_get_works_without_csrf(as_user):
    response = as_user("sec1", enforce_csrf_checks=True).get("/api/me")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies  # /api/me hands the browser its CSRF cookie


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", "/api/years/2026/entries", ENTRY),
        (
            "put",
            "/api/years/2026/tallies/M1",
            {"excellent": 1, "qualified": 0, "basic": 0, "unqualified": 0},
        ),
        (
            "post",
            "/api/years/2026/quota-decisions",
            {"member": "M1", "excellent": True, "note": "x"},
        ),
    ],
)
def test_session_write_without_csrf_is_refused(as_user, method, url, body):
    client = as_user("sec1", enforce_csrf_checks=True)
    response = getattr(client, method)(url, body, content_type=JSON)
    assert response.status_code == 403
    assert response.json() == {
        "code": "csrf_failed",
        "detail": "CSRF 校验失败：请带上 CSRF 令牌。",
        "errors": {},
    }
    assert not ScoreEntry.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["entry.record", "tally.set"]).exists()


def test_session_write_with_csrf_token_is_accepted(as_user):
    client = as_user("sec1", enforce_csrf_checks=True)
    csrf = client.get("/api/me").cookies["csrftoken"].value
    response = client.post(
        "/api/years/2026/entries", ENTRY, content_type=JSON, headers={"X-CSRFToken": csrf}
    )
    assert response.status_code == 201, response.content
    assert ScoreEntry.objects.count() == 1
