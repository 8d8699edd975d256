"""A branch's task list is a server-side table (kit/tables.py, issue 19): it pages, sorts,
searches and filters from GET parameters, falls back on bad ones, and costs the same
queries on page 1 and page 3."""

import datetime

import pytest
from django.utils import timezone

from kaoping.tasks.models import Task
from kaoping.testing.queries import assert_same_queries, rows_of

pytestmark = pytest.mark.django_db
URL = "/branches/B1/tasks/"


def _tasks(district, n):
    due = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
    for i in range(n):
        Task.objects.create(
            code=f"TK{i:03d}",
            branch=district.b1,
            kind="study" if i % 2 else "duty",
            title=f"任务{i:03d}",
            due_at=due + datetime.timedelta(days=i),
            status="closed" if i % 5 == 0 else "open",
            closed_at=timezone.now() if i % 5 == 0 else None,
        )


def test_the_task_list_pages_sorts_searches_and_filters(client, district):
    _tasks(district, 30)
    client.force_login(district.sec1)
    assert len(rows_of(client.get(URL))) == 25
    assert len(rows_of(client.get(URL + "?page=2"))) == 5
    assert "任务029" in rows_of(client.get(URL))[0]  # the latest due first
    assert "任务000" in rows_of(client.get(URL + "?sort=due"))[0]
    assert "任务000" in rows_of(client.get(URL + "?sort=title"))[0]
    assert len(rows_of(client.get(URL + "?q=任务01"))) == 10
    study = rows_of(client.get(URL + "?kind=study&size=50"))
    assert len(study) == 15
    closed = rows_of(client.get(URL + "?status=closed"))
    assert len(closed) == 6 and all("已结算" in r for r in closed)
    assert "没有符合条件的任务" in rows_of(client.get(URL + "?q=不存在"))[0]
    page = client.get(URL).content.decode()
    assert 'aria-sort="descending"' in page and "kp-pager" in page


@pytest.mark.parametrize("query", ["sort=evil", "size=7", "page=999", "kind=x", "q=" + "x" * 99])
def test_bad_parameters_fall_back(client, district, query):
    _tasks(district, 3)
    client.force_login(district.sec1)
    assert client.get(f"{URL}?{query}").status_code == 200


def test_the_queries_do_not_grow_with_the_rows_or_the_page(client, district):
    _tasks(district, 60)
    client.force_login(district.sec1)
    assert_same_queries(client, [URL, URL + "?page=3", URL + "?size=100&sort=-entries"])
