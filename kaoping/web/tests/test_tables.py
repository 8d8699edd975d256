"""Server-side tables (issue 19 item 3): paging, sorting, search and filters from GET
parameters on every list that grows, bad parameters falling back (never a 500), and a
query count that does not grow with the rows or the page."""

import datetime
from types import SimpleNamespace

import pytest
from django.test import RequestFactory
from django.utils import timezone

from kaoping.audit.models import AuditEvent
from kaoping.claims.models import BonusClaim
from kaoping.jobs.models import JobRun
from kaoping.kit.tables import SEARCH_MAX, Column, Filter, TableSpec, table
from kaoping.meetings.models import Meeting
from kaoping.testing.factories import MemberFactory, b1_ledger
from kaoping.testing.queries import assert_same_queries, rows_of

BAD = [
    "sort=evil",
    "sort=-",
    "size=7",
    "size=abc",
    "size=99999999999999999999",
    "page=99999",
    "q=" + "x" * 500,
    "status=bogus",
    "kind=bogus",
    "state=bogus",
    "action=bogus",
    "entries_page=abc",
    "entries_sort=__class__",
    "members_size=-1",
]


# --------------------------------------------------------------------------- the helper

SPEC = TableSpec(
    columns=(
        Column("n", "n", key=lambda r: r.n, num=True),
        Column("name", "name", key=lambda r: r.name),
        Column("plain", "plain"),
    ),
    default_sort="n",
    search_text=lambda r: r.name,
    filters=(Filter("odd", "odd", [("1", "odd"), ("0", "even")], key=lambda r: r.n % 2),),
)
ROWS = [SimpleNamespace(n=i, name=f"名{i:03d}") for i in range(1, 121)]


def _table(query: str, spec=SPEC):
    return table(RequestFactory().get("/list/?" + query), ROWS, spec)


def test_the_helper_pages_sorts_searches_and_filters_a_list():
    t = _table("")
    assert [r.n for r in t.rows] == list(range(1, 26)) and t.page.paginator.num_pages == 5
    t = _table("size=50&page=3")
    assert [r.n for r in t.rows] == list(range(101, 121))
    t = _table("sort=-n")
    assert t.rows[0].n == 120
    assert [c.direction for c in t.head] == ["descending", "", ""]
    assert t.head[0].url == "/list/"  # a click reverses it: the default, left out
    assert t.head[2].url == ""  # not sortable
    t = _table("q=名11&odd=1")
    assert [r.n for r in t.rows] == [111, 113, 115, 117, 119] and t.narrowed
    assert t.url(page=2) == "/list/?q=%E5%90%8D11&odd=1&page=2"


@pytest.mark.parametrize("query", BAD + ["page=0", "odd=2", "sort=plain"])
def test_the_helper_falls_back_on_bad_parameters(query):
    t = _table(query)
    assert t.size in (25, 50, 100) and t.sort in ("n", "-n", "name", "-name")
    assert len(t.q) <= SEARCH_MAX
    assert 1 <= t.page.number <= t.page.paginator.num_pages


def test_the_helper_keeps_other_parameters_and_prefixes_its_own():
    spec = TableSpec(columns=SPEC.columns, default_sort="n", prefix="x")
    t = _table("year=2026&x_page=2&x_sort=-name", spec)
    assert t.page.number == 2 and t.sort == "-name"
    assert t.kept == [("year", "2026"), ("x_sort", "-name")]
    assert t.url(page=3) == "/list/?year=2026&x_sort=-name&x_page=3"


# --------------------------------------------------------------------------- the pages


def login(client, user):
    client.force_login(user)
    return client


def rows_per_page(client, url: str) -> tuple[int, int]:
    """How many rows the list at ``url`` shows on its first page and on its second."""
    second = url + ("&" if "?" in url else "?") + "page=2"
    return len(rows_of(client.get(url))), len(rows_of(client.get(second)))


def _entries(district, n):
    b1_ledger(district, n, note=lambda i: f"第{i}次")


def test_the_branch_ledger_pages_sorts_searches_and_filters(client, district):
    _entries(district, 30)
    login(client, district.sec1)
    page = client.get("/branches/B1/")
    assert len(rows_of(page)) == 25 and "共 30 条" in page.content.decode()
    assert len(rows_of(client.get("/branches/B1/?entries_page=2"))) == 5
    first = rows_of(client.get("/branches/B1/?entries_sort=date"))[0]
    assert "2026-01-01" in first
    first = rows_of(client.get("/branches/B1/?entries_sort=-date"))[0]
    assert "2026-01-30" in first
    found = rows_of(client.get("/branches/B1/?entries_q=第7次"))
    assert len(found) == 1 and "第7次" in found[0]
    bonus = rows_of(client.get("/branches/B1/?entries_kind=bonus&entries_size=50"))
    assert len(bonus) == 10 and all("+" in r for r in bonus)
    # the roster beside it keeps the ledger's parameters in its links
    html = client.get("/branches/B1/?entries_page=2&members_q=张").content.decode()
    assert "entries_page=2" in html and 'name="members_q" value="张"' in html


def test_the_branch_roster_pages_and_searches(client, district):
    for i in range(30):
        MemberFactory(code=f"G{i:02d}", name=f"成员{i:02d}", branch=district.b1)
    login(client, district.sec1)
    html = client.get("/branches/B1/?members_size=25&members_page=2").content.decode()
    roster = html[html.index('id="members-table"') :]
    assert "成员29" in roster and "成员00" not in roster  # 32 members, page 2 of 2
    html = client.get("/branches/B1/?members_q=成员07").content.decode()
    roster = html[html.index('id="members-table"') :]
    assert "成员07" in roster and "成员08" not in roster and "张三" not in roster
    html = client.get("/branches/B1/?members_sort=-code&members_size=50").content.decode()
    roster = html[html.index('id="members-table"') :]
    assert roster.index("M1B") < roster.index("G29") < roster.index("G00")


def _meetings(district, n):
    start = datetime.datetime(2026, 2, 1, 9, tzinfo=datetime.UTC)
    for i in range(n):
        Meeting.objects.create(
            code=f"MT{i:03d}",
            branch=district.b1,
            kind="committee" if i % 2 else "general",
            starts_at=start + datetime.timedelta(days=i),
            place="会议室",
            topic=f"议题{i:03d}",
        )


def test_meetings_page_sort_search_and_filter(client, district):
    _meetings(district, 30)
    login(client, district.sec1)
    url = "/branches/B1/meetings/"
    assert rows_per_page(client, url) == (25, 5)
    assert "议题029" in rows_of(client.get(url))[0]  # the newest first
    assert "议题000" in rows_of(client.get(url + "?sort=starts"))[0]
    assert "议题000" in rows_of(client.get(url + "?sort=topic"))[0]
    found = rows_of(client.get(url + "?q=议题01"))
    assert len(found) == 10
    general = rows_of(client.get(url + "?kind=general&size=50"))
    assert len(general) == 15 and all("支部党员大会" in r for r in general)


def _claims(district, n):
    item = district.scheme.items.get(code="B01")
    for i in range(n):
        BonusClaim.objects.create(
            code=f"C{i:03d}",
            member=district.m1 if i % 2 else district.m1b,
            item=item,
            date=datetime.date(2026, 3, 1) + datetime.timedelta(days=i),
            description=f"事项{i:03d}",
            proof_text="证明",
            decision_reason="不符合" if i % 5 == 0 else "",
            status="refused" if i % 5 == 0 else "pending",
            created_at=timezone.now(),
        )


def test_claims_page_sort_search_and_filter(client, district):
    _claims(district, 30)
    login(client, district.sec1)
    url = "/branches/B1/claims/"
    assert rows_per_page(client, url) == (25, 5)
    assert "事项029" in rows_of(client.get(url + "?sort=-date"))[0]
    assert len(rows_of(client.get(url + "?q=事项02"))) == 10
    refused = rows_of(client.get(url + "?status=refused"))
    assert len(refused) == 6 and all("未通过" in r for r in refused)


def test_dues_page_sort_search_and_filter(client, district):
    for i in range(30):
        MemberFactory(code=f"G{i:02d}", name=f"成员{i:02d}", branch=district.b1)
    login(client, district.sec1)
    url = "/branches/B1/dues/?month=2026-03"
    assert rows_per_page(client, url) == (25, 7)
    assert "成员00" in rows_of(client.get(url + "&sort=member"))[0]
    assert "李四" in rows_of(client.get(url + "&sort=-member"))[0]  # M1B
    assert len(rows_of(client.get(url + "&q=成员1"))) == 10
    assert "没有符合条件的党员" in rows_of(client.get(url + "&status=paid"))[0]
    assert len(rows_of(client.get(url + "&status=none&size=50"))) == 32
    html = client.get(url + "&page=2").content.decode()
    assert 'name="month" value="2026-03"' in html  # the month stays when searching


def _audit(n):
    for i in range(n):
        AuditEvent.objects.create(
            action="entry.record" if i % 2 else "member.upsert",
            target_type="x",
            target_id=f"T{i:03d}",
            note=f"备注{i:03d}",
        )


def test_audit_log_pages_sorts_searches_and_filters(client, district):
    _audit(30)
    login(client, district.admin)
    assert len(rows_of(client.get("/audit/"))) == 25
    assert "T029" in rows_of(client.get("/audit/?sort=-target"))[0]
    assert "T000" in rows_of(client.get("/audit/?sort=target&q=T0"))[0]
    entry = rows_of(client.get("/audit/?action=entry.&size=50"))
    assert len(entry) == 15 and all("entry.record" in r for r in entry)
    assert len(rows_of(client.get("/audit/?action=member.upsert&size=50"))) >= 15
    assert len(rows_of(client.get("/audit/?q=备注02"))) == 10


def _jobs(district, n):
    for i in range(n):
        JobRun.objects.create(
            kind="export",
            title=f"导出{i:03d}",
            actor=district.admin,
            state="failed" if i % 3 == 0 else "done",
            created_at=timezone.now() - datetime.timedelta(minutes=i),
            finished_at=timezone.now(),
        )


def test_jobs_page_sorts_searches_and_filters(client, district):
    _jobs(district, 30)
    login(client, district.admin)
    assert len(rows_of(client.get("/jobs/"))) == 25
    assert "导出000" in rows_of(client.get("/jobs/"))[0]  # the newest first
    assert "导出029" in rows_of(client.get("/jobs/?sort=created"))[0]
    failed = rows_of(client.get("/jobs/?state=failed"))
    assert len(failed) == 10 and all("失败" in r for r in failed)
    assert len(rows_of(client.get("/jobs/?q=导出01"))) == 10


PAGES = {
    "sec1": [
        "/branches/B1/",
        "/branches/B1/meetings/",
        "/branches/B1/claims/",
        "/branches/B1/dues/",
    ],
    "admin": ["/audit/", "/jobs/"],
}


@pytest.mark.parametrize("query", BAD)
def test_bad_parameters_fall_back_on_every_list(client, district, query):
    _entries(district, 3)
    for who, urls in PAGES.items():
        login(client, getattr(district, who))
        for url in urls:
            response = client.get(f"{url}?{query}")
            assert response.status_code == 200, (url, query)


def test_a_bare_page_that_is_no_number_is_a_400_not_a_500(client, district):
    login(client, district.admin)
    assert client.get("/audit/?page=abc").status_code == 400  # QueryStringMiddleware


def test_the_lists_stay_scoped_by_actor(client, district):
    login(client, district.sec2)
    for url in PAGES["sec1"][1:]:
        assert client.get(url + "?q=x&page=2").status_code == 404
    login(client, district.sec1)
    assert client.get("/audit/?q=x").status_code == 404
    _jobs(district, 3)
    assert "导出000" not in client.get("/jobs/").content.decode()  # not theirs


def test_the_query_count_does_not_grow_with_the_rows_or_the_page(client, district):
    _entries(district, 60)
    _meetings(district, 60)
    _claims(district, 60)
    _audit(60)
    _jobs(district, 60)
    for i in range(60):
        MemberFactory(code=f"G{i:02d}", name=f"成员{i:02d}", branch=district.b1)
    login(client, district.sec1)
    assert_same_queries(client, ["/branches/B1/meetings/", "/branches/B1/meetings/?page=3"])
    assert_same_queries(client, ["/branches/B1/claims/", "/branches/B1/claims/?page=3&size=25"])
    assert_same_queries(client, ["/branches/B1/dues/", "/branches/B1/dues/?page=3"])
    assert_same_queries(
        client, ["/branches/B1/?entries_page=1", "/branches/B1/?entries_page=3&members_page=2"]
    )
    login(client, district.admin)
    assert_same_queries(client, ["/audit/", "/audit/?page=3", "/audit/?size=100"])
    assert_same_queries(client, ["/jobs/", "/jobs/?page=3", "/jobs/?size=100"])
