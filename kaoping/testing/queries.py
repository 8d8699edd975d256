"""Query counts of a page as its rows grow: the check behind every list page's test (no
N+1, issue 7)."""

import re
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaoping.testing.factories import MemberFactory


def page_query_counts(
    client, url: str, grow: Callable[[int], None], sizes: tuple[int, ...] = (2, 12)
) -> tuple[list[int], str]:
    """The number of queries of ``GET url`` after ``grow(n)`` for each n (the rows grow
    cumulatively), with the session already warm; and the last page's text, for the test
    to check the rows are really on it (a count of an empty page proves nothing)."""
    counts, text = [], ""
    for n in sizes:
        grow(n)
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
        text = response.content.decode()
    return counts, text


def branch_member_added(district, made: list, label: str):
    """One more member of the district's B1 for a page to grow by: ``B1-000``, ``B1-001``…,
    named ``label`` and the same number; appended to ``made`` and returned."""
    i = len(made)
    member = MemberFactory(code=f"B1-{i:03d}", name=f"{label}{i:03d}", branch=district.b1)
    made.append(member)
    return member


def rows_of(response) -> list[str]:
    """The body rows of the page's server-side table, as text."""
    html = response.content.decode()
    region = html[html.index('class="kp-table"') :]
    body = region[region.index("<tbody>") : region.index("</tbody>")]
    return [re.sub(r"<[^>]+>", " ", tr) for tr in body.split("<tr")[1:]]


def assert_same_queries(client, urls: list[str]) -> None:
    """Every URL of a server-side table (kit/tables.py) costs the same queries: page 1 and
    page 3, any size, sorted or searched."""
    counts = []
    for url in urls:
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx))
    assert len(set(counts)) == 1, dict(zip(urls, counts, strict=True))
