"""/healthz and /readyz over HTTP: JSON, no login, 503 with the failed check named."""

import json

import pytest
from django.test import Client

from kaoping.ops import probes

pytestmark = pytest.mark.django_db


def _json(response) -> dict:
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and _json(response) == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ok_when_everything_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert _json(response) == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "task_queue": "ok", "migrations": "ok"},
    }


def test_readyz_is_503_when_the_database_is_unreachable(client, monkeypatch):
    def closed_port(*args, **kwargs):
        raise OSError("connection refused: 127.0.0.1:1 password=hunter2")

    monkeypatch.setattr(probes.connections["default"], "cursor", closed_port)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = _json(response)
    assert body["status"] == "fail" and body["checks"]["database"] == "fail"
    assert "hunter2" not in response.content.decode()  # no error text leaves the server


def test_readyz_is_503_when_the_cache_is_unreachable(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # a closed port
            "OPTIONS": {"socket_connect_timeout": 0.5},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert _json(response)["checks"] == {
        "database": "ok",
        "cache": "fail",
        "task_queue": "ok",
        "migrations": "ok",
    }


def test_readyz_is_503_while_a_migration_is_pending(client, monkeypatch):
    from django.db.migrations.recorder import MigrationRecorder

    real = MigrationRecorder.applied_migrations

    def without_one(self):  # the database lacks the newest migration of one app
        applied = dict(real(self))
        applied.pop(max(k for k in applied if k[0] == "ledger"))
        return applied

    monkeypatch.setattr(MigrationRecorder, "applied_migrations", without_one)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert _json(response)["checks"]["migrations"] == "fail"
    monkeypatch.setattr(MigrationRecorder, "applied_migrations", real)
    assert client.get("/readyz").status_code == 200


def test_readyz_checks_the_task_table_of_the_database_queue(client, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    def missing(*args, **kwargs):
        raise RuntimeError("no such table")

    monkeypatch.setattr(DBTaskResult.objects, "using", missing)
    response = client.get("/readyz")
    assert response.status_code == 503 and _json(response)["checks"]["task_queue"] == "fail"


def test_probes_skip_login_2fa_https_redirect_session_and_host_check(district, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["kaoping.example"]
    settings.KAOPING_REQUIRE_2FA_FOR_STAFF = True
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(district.admin)  # staff without a second factor: pages redirect
    for path in ("/healthz", "/readyz"):
        response = browser.get(path, HTTP_HOST="10.0.0.7:8000")  # a probe by address
        assert response.status_code == 200, (path, response.status_code)
        assert "Set-Cookie" not in response and not response.cookies
        assert "csrftoken" not in response.cookies
    assert browser.post("/healthz").status_code == 405  # read only, no CSRF token asked
    assert browser.head("/healthz").status_code == 200  # some load balancers probe with HEAD


def test_probes_are_in_the_url_map(client):
    from django.urls import reverse

    assert reverse("ops:healthz") == "/healthz" and reverse("ops:readyz") == "/readyz"
