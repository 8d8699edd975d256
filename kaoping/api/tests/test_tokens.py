"""API tokens (issue 20 part 1): read-only tokens refused on writes (403
``read_only_token``), the last use's time and address recorded at most once a minute, the
rate limit per token (429 ``throttled``), and the command and the page offering both."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kaoping.api.models import ApiToken
from kaoping.api.services import api_token_create
from kaoping.ledger.models import ScoreEntry

pytestmark = pytest.mark.django_db

JSON = "application/json"
ENTRY = {"member": "M1", "item": "D01", "date": "2026-05-06"}


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_a_read_only_token_reads_but_never_writes(district):
    _token, raw = api_token_create(actor=None, user=district.sec1, name="r", read_only=True)
    client = Client(headers=bearer(raw))
    assert client.get("/api/members").status_code == 200
    for language, detail in [
        ("zh-hans", "这个 API 令牌是只读的，不能用于写入。"),
        ("en", "This API token is read-only; it cannot write."),
    ]:
        response = client.post(
            "/api/years/2026/entries",
            ENTRY,
            content_type=JSON,
            headers={"Accept-Language": language},
        )
        assert response.status_code == 403
        assert response.json() == {"code": "read_only_token", "detail": detail, "errors": {}}
    assert client.delete("/api/roles/1").json()["code"] == "read_only_token"
    assert not ScoreEntry.objects.exists()


def test_a_read_write_token_still_writes(district):
    _token, raw = api_token_create(actor=None, user=district.sec1, name="rw")
    response = Client(headers=bearer(raw)).post("/api/years/2026/entries", ENTRY, content_type=JSON)
    assert response.status_code == 201


def test_last_use_time_and_address_written_at_most_once_a_minute(district):
    token, raw = api_token_create(actor=None, user=district.sec1, name="t")
    Client(headers=bearer(raw), REMOTE_ADDR="10.1.2.3").get("/api/me")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and token.last_used_ip == "10.1.2.3"
    Client(headers=bearer(raw), REMOTE_ADDR="10.9.9.9").get("/api/me")
    token.refresh_from_db()
    assert (token.last_used_at, token.last_used_ip) == (first, "10.1.2.3")  # within the minute
    ApiToken.objects.update(last_used_at=first - datetime.timedelta(minutes=2))
    Client(headers=bearer(raw), REMOTE_ADDR="10.9.9.9").get("/api/me")
    token.refresh_from_db()
    assert token.last_used_at > first and token.last_used_ip == "10.9.9.9"


def test_the_rate_limit_is_per_token_and_answers_429_in_the_error_shape(district, settings):
    settings.KAOPING_API_RATE = "3/min"
    _a, raw_a = api_token_create(actor=None, user=district.sec1, name="a")
    _b, raw_b = api_token_create(actor=None, user=district.sec1, name="b")
    a, b = Client(headers=bearer(raw_a)), Client(headers=bearer(raw_b))
    assert [a.get("/api/me").status_code for _ in range(3)] == [200, 200, 200]
    refused = a.get("/api/me", headers={"Accept-Language": "en"})
    assert refused.status_code == 429
    assert refused.json() == {
        "code": "throttled",
        "detail": "Too many requests; try again later.",
        "errors": {},
    }
    assert int(refused["Retry-After"]) >= 1
    assert b.get("/api/me").status_code == 200  # another token of the same user: its own
    settings.KAOPING_API_RATE = None
    assert a.get("/api/me").status_code == 200


def test_the_command_makes_a_read_only_token(district):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_token", "sec1", "--name", "report", "--read-only", stdout=out, stderr=err
    )
    assert "read-only" in err.getvalue()
    assert ApiToken.objects.get().read_only
    raw = out.getvalue().strip()
    response = Client(headers=bearer(raw)).post("/api/years/2026/entries", ENTRY, content_type=JSON)
    assert response.status_code == 403 and response.json()["code"] == "read_only_token"


def test_the_token_page_offers_read_only_and_expiry(district):
    client = Client()
    client.force_login(district.sec1)
    page = client.get(reverse("api_tokens:tokens"))
    assert 'name="read_only"' in page.content.decode() and 'name="days"' in page.content.decode()
    answer = client.post(
        reverse("api_tokens:tokens"), {"name": "report", "days": "30", "read_only": "on"}
    )
    assert answer.status_code == 201
    token = ApiToken.objects.get(user=district.sec1)
    assert token.read_only
    assert token.expires_at - timezone.now() > datetime.timedelta(days=29)
    assert "只读" in answer.content.decode()
