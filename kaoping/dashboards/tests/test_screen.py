"""The charts' data in the pages (json_script), their tables, the big screen's access and
content, and the query counts of the committee pages whatever the number of branches."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaoping.archive.models import LostContact
from kaoping.ledger.services import entry_record
from kaoping.schemes.models import SchemeItem

from .data import LONG_NAME, many_branches

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def chart_data(page: str, ident: str) -> dict:
    found = re.search(rf'<script id="{ident}" type="application/json">(.*?)</script>', page, re.S)
    assert found, f"no json_script {ident}"
    return json.loads(found.group(1))


def deduct(d, member, day=2):
    entry_record(
        actor=d.sec1 if member.branch_id == d.b1.id else d.sec2,
        member=member,
        item=SchemeItem.objects.get(scheme=d.scheme, code="D01"),
        date=datetime.date(2026, 3, day),
        occurrences=1,
        note="",
        evidence="",
    )


def test_committee_charts_carry_their_data_and_a_table(client, district):
    d = district
    many_branches(d, 3)
    deduct(d, d.m1)
    client.force_login(d.admin)
    page = html(client.get(reverse("dashboards:committee")))
    assert page.count("vendor/echarts/echarts.kaoping.min.js") == 1 and "web/charts.js" in page
    assert "<script>" not in page  # no inline script: only json_script data blocks
    dues = chart_data(page, "chart-dues")
    assert dues["kind"] == "bar" and dues["unit"] == "%"
    assert LONG_NAME.format(n=3) in dues["labels"]  # the full name, cut only on screen
    # rates between 94 and 100 %: the axis starts from a floor and says so
    assert dues["min"] == "85" and dues["max"] == "100"
    assert "坐标轴自 85% 起" in dues["note"]
    grades = chart_data(page, "chart-grades")
    assert grades["kind"] == "stacked" and grades["labels"][0] == "第一党支部"
    assert [s["name"] for s in grades["series"]][0] == "合格共产党员"
    progress = chart_data(page, "chart-progress")
    assert progress["stages"][0] == "未开始" and progress["max"] == "7"
    # each chart: a figure with the static SVG and a table with a caption
    for ident in ("chart-average", "chart-dues", "chart-progress"):
        figure = page[page.index(f'data-echart="{ident}"') :]
        figure = figure[: figure.index("</details>")]
        assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in figure
        assert "<caption>" in figure and "<table" in figure
    assert 'href="/dash/screen/?year=2026"' in page  # the link to the big screen


def test_branch_page_grade_column_follows_the_name(client, district):
    deduct(district, district.m1)
    client.force_login(district.sec1)
    page = html(client.get(reverse("dashboards:branch", args=["B1"])))
    ranking = chart_data(page, "chart-ranking")
    assert ranking["labels"][0].endswith("李四")  # the one without a deduction first
    head = page[page.index('id="ranking"') :]
    head = head[head.index("<thead>") : head.index("</thead>")]
    columns = re.findall(r"<th[^>]*>([^<]+)</th>", head)
    assert columns[:3] == ["排名", "姓名", "等次"]  # a phone sees the grade first


def test_member_page_gauges_and_timeline_data(client, district):
    deduct(district, district.m1)
    client.force_login(district.member1)
    page = html(client.get(reverse("dashboards:mine")))
    gauge = chart_data(page, "chart-composite")
    assert gauge["kind"] == "gauge" and gauge["value"] is not None
    timeline = chart_data(page, "chart-timeline")
    assert timeline["kind"] == "line" and len(timeline["labels"]) == 12
    assert [s["name"] for s in timeline["series"]] == ["累计扣分", "累计加分"]


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("admin", 200),
        ("orgdept", 200),
        ("sec1", 200),
        ("supervisor", 200),
        ("member1", 404),
        ("outsider", 404),
    ],
)
def test_screen_access_is_the_committee_dashboards(client, district, user, status):
    client.force_login(getattr(district, user))
    assert client.get(reverse("dashboards:screen")).status_code == status
    assert client.get(reverse("dashboards:committee")).status_code == status


def test_screen_anonymous_goes_to_login(client, district):
    response = client.get(reverse("dashboards:screen"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_screen_shows_counts_and_never_a_member_with_a_score(client, district):
    d = district
    many_branches(d, 2)
    deduct(d, d.m1)
    LostContact.objects.create(member=d.m2, since=datetime.date(2026, 2, 1), efforts="电话")
    client.force_login(d.admin)
    page = html(client.get(reverse("dashboards:screen")))
    assert 'data-refresh="300"' in page and 'http-equiv="refresh"' not in page
    assert "<script>" not in page
    for ident in ("chart-screen-grades", "chart-screen-rates", "chart-screen-warnings"):
        chart_data(page, ident)
    warnings = chart_data(page, "chart-screen-warnings")
    kinds = dict(zip(warnings["labels"], warnings["series"][0]["values"], strict=True))
    assert kinds["失联党员"] == "1"
    rates = chart_data(page, "chart-screen-rates")
    assert [s["name"] for s in rates["series"]] == ["会议出席率", "党费按时足额"]
    grades = chart_data(page, "chart-screen-grades")
    assert grades["kind"] == "pie" and sum(int(v) for v in grades["series"][0]["values"]) > 0
    # nothing names a member: no name, no member code, anywhere on the page
    from kaoping.orgs.models import Member

    for name, code in Member.objects.values_list("name", "code"):
        assert name not in page, name
        assert f">{code}<" not in page and f'"{code}"' not in page, code


def test_screen_of_a_secretary_shows_only_their_branch(client, district):
    client.force_login(district.sec1)
    page = html(client.get(reverse("dashboards:screen")))
    assert "第一党支部" in page and "第二党支部" not in page


def test_the_menu_links_the_screen_for_the_committee(client, district):
    client.force_login(district.admin)
    page = html(client.get(reverse("workbench:home")))
    assert 'href="/dash/screen/"' in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        html(client.get(url))
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["dashboards:committee", "dashboards:screen"])
def test_queries_do_not_grow_with_the_branches(client, district, name):
    d = district
    deduct(d, d.m1)
    client.force_login(d.admin)
    url = reverse(name)
    _queries(client, url)  # warm the caches (menu, settings)
    many_branches(d, 2)
    few = _queries(client, url)
    many_branches_more = many_branches_extra(d)
    assert len(many_branches_more) == 6
    assert _queries(client, url) == few


def many_branches_extra(d):
    from kaoping.orgs.models import Organization
    from kaoping.testing.factories import MemberFactory, OrganizationFactory

    made: list[Organization] = []
    for n in range(6):
        branch = OrganizationFactory(code=f"BY{n}", name=f"新建第{n}党支部", parent=d.p1)
        for k in range(2):
            MemberFactory(code=f"BY{n}M{k}", name=f"新党员{n}{k}", branch=branch)
        made.append(branch)
    return made
