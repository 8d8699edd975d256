"""List pages take a number of queries that does not grow with their rows (no N+1): the
lists not covered elsewhere (the branch, member and overview pages are counted in
test_views.py as computed and in test_page_cache.py as served from the cache)."""

import datetime
from decimal import Decimal

import pytest

from kaoping.ledger.models import LedgerPublication
from kaoping.ledger.services import entry_record
from kaoping.schemes.models import Scheme
from kaoping.schemes.services import scheme_create, scheme_item_upsert

pytestmark = pytest.mark.django_db


def _schemes(district, n):
    first = Scheme.objects.order_by("-year").first().year + 1
    for year in range(first, first + n):
        scheme_create(actor=None, year=year, copy_from=district.scheme)


def _items(district, n):
    for i in range(n):
        scheme_item_upsert(
            actor=None,
            scheme=district.scheme,
            code=f"X{n}-{i}",
            kind="bonus",
            name=f"加分项 {i}",
            points=Decimal(1),
        )


def _publications(district, n):
    for i in range(n):
        entry_record(
            actor=None,
            member=district.m1,
            item=district.scheme.items.get(code="D01"),
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
        )
        LedgerPublication.objects.create(
            branch=district.b1,
            start=datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
            end=datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
        )


@pytest.mark.parametrize(
    "url, grow, username",
    [
        ("/schemes/", _schemes, "admin"),
        ("/schemes/2026/", _items, "admin"),
        ("/branches/B1/ledger/", _publications, "sec1"),
    ],
)
def test_list_pages_take_a_fixed_number_of_queries(
    client, district, django_assert_max_num_queries, url, grow, username
):
    client.force_login(getattr(district, username))
    counts = []
    for n in (2, 20):
        grow(district, n)
        client.get(url)  # the session is warm
        with django_assert_max_num_queries(15) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
