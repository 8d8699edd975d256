"""The scheme endpoint, a list of the year's items, takes a number of queries that does
not grow with them (the other list endpoints are counted beside their own tests)."""

from decimal import Decimal

import pytest

from kaoping.schemes.services import scheme_item_upsert
from kaoping.testing.queries import page_query_counts

pytestmark = pytest.mark.django_db


def test_scheme_query_count_does_not_grow_with_items(client, district):
    made = []

    def grow(n):
        for _ in range(n):
            code = f"X{len(made):02d}"
            scheme_item_upsert(
                actor=None, scheme=district.scheme, code=code, kind="bonus",
                name=f"加分项{code}", points=Decimal(1),
            )  # fmt: skip
            made.append(code)

    client.force_login(district.sec1)
    counts, body = page_query_counts(client, "/api/years/2026/scheme", grow)
    assert counts[0] == counts[1], counts
    assert all(f'"{code}"' in body for code in made)
