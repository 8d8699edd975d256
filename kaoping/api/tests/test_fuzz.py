"""Schemathesis against the API's own OpenAPI schema, through the WSGI app, with a bearer
token of a branch secretary: whatever it sends, no 5xx and every answer matches the schema
(status code, content type, body). Bounded (few examples per operation) to stay fast."""

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
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
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes the database connection around each request, which would end
    the test's transaction; Django's test client unhooks it the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
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


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_api_answers_every_generated_request_within_its_schema(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
