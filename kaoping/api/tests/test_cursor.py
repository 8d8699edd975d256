"""Cursor paging (``api/pagination.py``, docs/api.md "Paging"): following ``next`` through
a list while rows are inserted between the pages neither skips nor repeats a row."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import entry_record

pytestmark = pytest.mark.django_db


def _record(district, day: int):
    return entry_record(
        actor=district.sec1,
        member=district.m1,
        item=district.scheme.items.get(code="D01"),
        date=datetime.date(2026, 3, day),
    )


def _walk(client, url, between=None) -> list[str]:
    seen, pages = [], 0
    while url:
        body = client.get(url).json()
        seen += [row["code"] for row in body["items"]]
        url = body["next"]
        pages += 1
        if between and url:
            between(pages)
    return seen


def test_paging_entries_while_rows_are_inserted_neither_skips_nor_repeats(as_user, district):
    originals = [_record(district, day) for day in (2, 4, 6, 8, 10, 12, 14)]
    inserted = []

    def insert(page: int):
        # one entry dated before everything paged so far (an offset would then repeat a
        # row), one on the same date as the last row read, one at the end
        inserted.append(_record(district, 1))
        inserted.append(_record(district, 2 * (page + 1)))
        inserted.append(_record(district, 28))

    seen = _walk(as_user("sec1"), "/api/years/2026/entries?limit=2", insert)
    assert len(seen) == len(set(seen)), "a row was repeated"
    assert {e.code for e in originals} <= set(seen), "a row was skipped"
    # the rows inserted after the cursor's position are read, those before it are not
    order = list(
        ScoreEntry.objects.filter(code__in=seen)
        .order_by("date", "id")
        .values_list("code", flat=True)
    )
    assert seen == order


def test_paging_members_follows_the_lists_order_to_the_end(as_user):
    client = as_user("admin")
    everything = [m["code"] for m in client.get("/api/members?limit=1000").json()["items"]]
    assert len(everything) > 3
    assert _walk(client, "/api/members?limit=2") == everything
    assert _walk(client, "/api/organizations?limit=1") == [
        o["code"] for o in client.get("/api/organizations").json()["items"]
    ]


def test_the_next_url_keeps_the_filters(as_user, district):
    for day in (2, 3, 4):
        _record(district, day)
    body = as_user("sec1").get("/api/years/2026/entries?member=M1&limit=1").json()
    assert "member=M1" in body["next"] and "limit=1" in body["next"]
    assert body["next"].startswith("/api/years/2026/entries?")
    assert parse_qs(urlsplit(body["next"]).query)["cursor"] == [body["next_cursor"]]


def test_a_cursor_of_another_list_is_refused(as_user, district):
    for day in (2, 3):
        _record(district, day)
    client = as_user("sec1")
    cursor = client.get("/api/years/2026/entries?limit=1").json()["next_cursor"]
    response = client.get(f"/api/members?cursor={cursor}")
    assert response.status_code == 422 and "cursor" in response.json()["errors"]
