"""Schemathesis against the API's own OpenAPI schema, through the WSGI app, with a bearer
token of a branch secretary: whatever it sends, no 5xx (none tolerated, on either database)
and every answer matches the schema (status code, content type, body). A write the API
accepts must never make a later read fail: after each accepted POST/PUT, every list
operation of the API and the branch's xlsx exports (ledger and results) are read again and
must not be a 5xx. Bounded (few examples per operation) to stay fast."""

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kaoping.api.services import api_token_create
from kaoping.ledger.services import entry_record

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
# Half the generated cases name records that exist (the year 2026, B1's member M1, the
# item D01, a date of 2026, the organisation B1 of a role), so that writes get accepted
# and the reads after them are tested; the other half stay as generated.
KNOWN_PATH = {"year": 2026, "member": "M1", "member_code": "M1"}
KNOWN_BODY = {"member": "M1", "item": "D01", "date": "2026-03-05", "organization": "B1"}


def _known(values, known: dict):
    if not isinstance(values, dict):
        return values
    return values | {k: v for k, v in known.items() if values.get(k) is not None}


def _with_known_records(case):
    case.path_parameters = _known(case.path_parameters, KNOWN_PATH)
    case.body = _known(case.body, KNOWN_BODY)
    return case


@schema.hook("before_generate_case")
def _existing_records(context, strategy):
    return strategy | strategy.map(_with_known_records)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _unhook_close_old_connections():
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes the database connection around each request, which would end
    the test's transaction; Django's test client unhooks it the same way."""
    _unhook_close_old_connections()
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def bearer(district) -> dict:
    """sec1's token, and an entry so that reads and reversals have something to find."""
    entry_record(
        actor=district.sec1,
        member=district.m1,
        item=district.scheme.items.get(code="D01"),
        date=datetime.date(2026, 3, 5),
    )
    _, raw = api_token_create(actor=None, user=district.sec1, name="fuzz")
    return {"Authorization": f"Bearer {raw}"}


def _reads(district) -> list[str]:
    """Every API operation that lists (it takes ``page`` or ``cursor``; path parameters
    filled for B1 and 2026) and the branch's xlsx exports of the year."""
    from kaoping.api.api import api

    lists = [
        "/api" + path.replace("{year}", "2026").replace("{code}", district.b1.code)
        for path, operations in api.get_openapi_schema(path_prefix="")["paths"].items()
        if any(
            p["name"] in {"page", "cursor"} for p in operations.get("get", {}).get("parameters", [])
        )
    ]
    exports = [
        reverse(name, args=[district.b1.code]) + "?year=2026"
        for name in ("web:entries_xlsx", "web:results_xlsx")
    ]
    return lists + exports


@pytest.fixture
def reads_after_a_write(district, bearer):
    """Read everything a write can reach, as the writer (token for the API, session for
    the pages); the 5xx, each with its URL, or none."""
    api_client = Client(headers=bearer, raise_request_exception=False)
    web_client = Client(raise_request_exception=False)
    web_client.force_login(district.sec1)
    urls = _reads(district)
    assert len(urls) > 5 and any(u.startswith("/api/years/") for u in urls)

    def read() -> dict[str, str]:
        failed = {}
        for url in urls:
            client = api_client if url.startswith("/api/") else web_client
            response = client.get(url)
            if response.status_code >= 500:
                failed[url] = str(response.status_code)
            elif response.streaming:  # the xlsx is written while it is sent: read it all
                try:
                    b"".join(response.streaming_content)
                except Exception as exc:  # noqa: BLE001 - a 500 half-way through the body
                    failed[url] = repr(exc)
        # Django's test client hooks close_old_connections back in after each request.
        _unhook_close_old_connections()
        return failed

    return read


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_api_answers_every_generated_request_within_its_schema(case, bearer, reads_after_a_write):
    response = case.call_and_validate(headers=bearer, checks=CHECKS)
    if case.method in ("POST", "PUT") and response.status_code < 300:
        failed = reads_after_a_write()
        assert not failed, f"accepted {case.method} {case.formatted_path} broke reads: {failed}"
