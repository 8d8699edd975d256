"""Errors show no internals (issue 15, item 4): DEBUG is off unless a developer asks for
it; a failure gives the translated 500 page (rendered without the database: the fault here
is a table gone from it), an unknown address the translated 404 page, and the API answers
JSON for both; the local settings never allow every host; ``kaoping serve`` warns when it
serves a network."""

import json
import os
import socket
import subprocess  # noqa: S404
import sys

import pytest
from django.db import connection
from django.template import loader
from django.test import Client

from kaoping.api.services import api_token_create

SECRETS = ("Traceback", "SECRET_KEY", "DATABASES", "KAOPING_", "settings", 'File "')


@pytest.fixture
def profiles_table_gone(district):
    """A real fault: the archive's table disappears from the database (rolled back with
    the test's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE archive_memberprofile RENAME TO archive_memberprofile_gone")


def test_a_failing_page_gives_the_translated_500_page(district, profiles_table_gone):
    client = Client(raise_request_exception=False)
    client.force_login(district.admin)
    page = client.get(f"/members/{district.m1.code}/archive/")
    assert page.status_code == 500
    body = page.content.decode()
    assert "服务器内部错误" in body and "返回首页" in body and "kaoping.css" in body
    assert not [s for s in SECRETS if s in body]
    assert "archive_memberprofile" not in body


def test_the_500_page_needs_no_database_and_no_request():
    # No db fixture: pytest-django refuses any query, so rendering must make none.
    body = loader.get_template("500.html").render()
    assert "服务器内部错误" in body


def test_the_500_page_is_translated(district, profiles_table_gone):
    client = Client(raise_request_exception=False)
    client.force_login(district.admin)
    client.cookies["django_language"] = "en"
    page = client.get(f"/members/{district.m1.code}/archive/")
    assert page.status_code == 500 and "Internal server error" in page.content.decode()


def test_an_unknown_address_gives_the_translated_404_page(client, district):
    client.force_login(district.admin)
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    body = page.content.decode()
    assert "页面不存在" in body
    assert "URLconf" not in body and "api/" not in body and "branches/" not in body


def test_an_api_operation_that_fails_answers_json_500(district, profiles_table_gone):
    _, raw = api_token_create(actor=district.admin, user=district.admin, name="script")
    client = Client(raise_request_exception=False)
    response = client.get(
        f"/api/members/{district.m1.code}/archive",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"code": "server_error", "detail": "服务器内部错误", "errors": {}}


def test_an_unknown_api_path_answers_json_404(client, district):
    client.force_login(district.admin)
    response = client.get("/api/no-such-operation")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def _local_settings(tmp_path, **env) -> dict:
    """DEBUG and ALLOWED_HOSTS of the local settings, read in a new process."""
    drop = {"DJANGO_SETTINGS_MODULE", "KAOPING_DEBUG", "KAOPING_ALLOWED_HOSTS"}
    full = {k: v for k, v in os.environ.items() if k not in drop} | {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "KAOPING_DATA_DIR": str(tmp_path / "var"),
    }
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.DEBUG, settings.ALLOWED_HOSTS]))"
    )
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=full | env,
        timeout=120,
        check=True,
    )
    debug, hosts = json.loads(proc.stdout)
    return {"DEBUG": debug, "ALLOWED_HOSTS": hosts}


def test_local_settings_have_debug_off_unless_asked(tmp_path):
    plain = _local_settings(tmp_path)
    assert plain["DEBUG"] is False
    assert "*" not in plain["ALLOWED_HOSTS"]
    assert {"localhost", "127.0.0.1"} <= set(plain["ALLOWED_HOSTS"])
    assert _local_settings(tmp_path, KAOPING_DEBUG="1")["DEBUG"] is True
    named = _local_settings(tmp_path, KAOPING_ALLOWED_HOSTS="kaoping.example")
    assert named["ALLOWED_HOSTS"] == ["kaoping.example"]


def test_serve_on_every_interface_warns_that_it_is_a_development_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"} | {
        "KAOPING_DATA_DIR": str(tmp_path / "var"),
        "KAOPING_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    # The port is taken, so the server stops right after starting: the warning comes first.
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))  # noqa: S104
        taken.listen()
        port = str(taken.getsockname()[1])
        proc = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "kaoping.cli", "serve", "--host", "0.0.0.0", "--port", port],  # noqa: S104
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )
    assert "警告" in proc.stderr, proc.stdout + proc.stderr
    assert proc.stderr.index("警告") < proc.stderr.index("Warning")
    assert "开发用的服务器" in proc.stderr and "development server" in proc.stderr
