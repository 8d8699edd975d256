"""Login hardening and headers: lockout after repeated failures, a CSP that allows no
inline script, and a production configuration that passes `check --deploy`."""

import os
import secrets
import subprocess  # noqa: S404
import sys

import pytest
from django.test import override_settings


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_login_locks_out_after_repeated_failures(client, district):
    for _ in range(3):
        page = client.post("/login/", {"username": "sec1", "password": "wrong"})
    assert page.status_code in (403, 429)
    assert "账号已暂时锁定" in page.content.decode()
    # Even the right password is refused while the lockout lasts.
    page = client.post("/login/", {"username": "sec1", "password": "pass-for-tests-1"})
    assert "账号已暂时锁定" in page.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True)
def test_successful_login_with_axes_enabled(client, district):
    page = client.post("/login/", {"username": "sec1", "password": "pass-for-tests-1"})
    assert page.status_code == 302
    assert client.session["_auth_user_id"] == str(district.sec1.pk)


def test_csp_forbids_inline_script(client, district):
    client.force_login(district.sec1)
    policy = client.get("/branches/B1/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_api_docs_use_no_cdn(client):
    page = client.get("/api/docs").content.decode()
    assert "cdn" not in page.lower()


@pytest.mark.parametrize("path", ["/login/", "/api/openapi.json"])
def test_csrf_and_cookies(client, path):
    assert client.get(path).status_code == 200


def test_production_settings_pass_check_deploy():
    drop = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "KAOPING_SECRET_KEY": secrets.token_urlsafe(50),
        "KAOPING_LEDGER_KEY": secrets.token_urlsafe(48),
        "KAOPING_SLIP_KEY": secrets.token_urlsafe(48),
    }
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout
