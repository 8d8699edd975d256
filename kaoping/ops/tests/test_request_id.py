"""X-Request-ID on every answer and on every log line of the request, JSON in production."""

import io
import json
import logging

import pytest
import structlog

from config.settings.logs import logging_settings, redact

pytestmark = pytest.mark.django_db


def test_each_answer_carries_a_new_request_id(client):
    first = client.get("/login/")["X-Request-ID"]
    second = client.get("/login/")["X-Request-ID"]
    assert len(first) == 32 and first != second


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("9f2c4e1a7b3d4c5e8f6a0b1c2d3e4f50", True),  # nginx's $request_id
        ("0b6a0c3e-5c1f-4a8e-9d7b-2f1e3c4d5a6b", True),  # a UUID
        ("short", False),
        ("x" * 65, False),
        ("abc\r\nSet-Cookie: a=b", False),
        ('abcdefgh", "user_id": 1', False),
    ],
)
def test_a_sane_incoming_request_id_is_kept_any_other_replaced(client, incoming, kept):
    answer = client.get("/login/", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"]
    assert (answer == incoming) is kept
    if not kept:
        assert len(answer) == 32 and answer.isalnum()


def test_every_log_line_of_a_request_names_its_request_id(client, district):
    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(root.handlers[0].formatter)  # the configured structured lines
    root.addHandler(handler)
    try:
        client.force_login(district.member1)
        response = client.get("/nowhere/", HTTP_X_REQUEST_ID="req-0000-test-1234")
    finally:
        root.removeHandler(handler)
    assert response.status_code == 404
    lines = stream.getvalue().splitlines()
    # django-structlog's start and end lines, and Django's own "Not Found" line after them.
    assert [x for x in lines if "request_started" in x or "request_finished" in x]
    assert [x for x in lines if "Not Found: /nowhere/" in x]
    assert all("request_id=req-0000-test-1234" in line for line in lines), lines


def test_production_lines_are_json_with_request_id(capsys):
    config = logging_settings("json", "INFO")
    formatter = config["formatters"]["structured"]["()"](
        **{k: v for k, v in config["formatters"]["structured"].items() if k != "()"}
    )
    structlog.contextvars.bind_contextvars(request_id="abc12345")
    try:
        record = logging.LogRecord(
            "django.request", logging.WARNING, "", 0, "Not Found: %s", ("/x",), None
        )
        line = json.loads(formatter.format(record))
    finally:
        structlog.contextvars.clear_contextvars()
        logging_settings("console", "INFO")
    assert line["request_id"] == "abc12345" and line["event"] == "Not Found: /x"
    assert line["level"] == "warning" and line["logger"] == "django.request"


def test_secrets_never_reach_a_line():
    event = redact(
        None,
        "info",
        {
            "event": "request_started",
            "request": "GET /password/reset/MQ/c9x-0123abcd/?next=/&token=s3cret",
            "password": "hunter2",
            "authorization": "Bearer abc",
        },
    )
    text = json.dumps(event)
    assert "c9x-0123abcd" not in text and "s3cret" not in text
    assert "hunter2" not in text and "Bearer" not in text
    assert "/password/reset/MQ/[redacted]" in text
    kept = redact(None, "info", {"event": "x", "request": "GET /password/reset/MQ/set-password/"})
    assert kept["request"].endswith("/set-password/")
