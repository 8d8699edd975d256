"""The API's schema and docs are public (docs/decisions.md 18): they describe the shape of
the API and hold no data. Anonymous readers get them; nothing recorded in the database and
no setting appears in them (issue 15, item 5)."""

import re

import pytest
from django.conf import settings

from kaoping.testing.factories import MemberFactory, OrganizationFactory, UserFactory


@pytest.fixture
def recorded(district):
    """Distinctive records, so a leak cannot hide behind a short code."""
    branch = OrganizationFactory(code="BQX917", name="独一无二测试支部", parent=district.p1)
    MemberFactory(code="MQX917", name="欧阳无双", branch=branch)
    UserFactory(username="user-qx917", first_name="司马", last_name="示例")
    orgs = [(o.code, o.name) for o in (district.root, district.p1, district.b1, district.b2)]
    members = [(m.code, m.name) for m in (district.m1, district.m1b, district.m2)]
    return [
        "BQX917",
        "独一无二测试支部",
        "MQX917",
        "欧阳无双",
        "user-qx917",
        "司马",
        *(name for _, name in orgs + members),
        *(code for code, _ in members),  # M1, M1B, M2 as whole words
        settings.SECRET_KEY,
        settings.KAOPING_LEDGER_KEY,
        str(settings.DATABASES["default"]["NAME"]),
        str(settings.DATA_DIR),
    ]


@pytest.mark.parametrize("path", ["/api/openapi.json", "/api/docs"])
def test_the_anonymous_schema_and_docs_hold_no_data(client, recorded, path):
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert [v for v in recorded if v and _appears(v, body)] == []


def _appears(value: str, body: str) -> bool:
    """A Chinese name anywhere; a code or key as a whole word (not inside another)."""
    if not value.isascii():
        return value in body
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(value)}(?![A-Za-z0-9_])", body) is not None
