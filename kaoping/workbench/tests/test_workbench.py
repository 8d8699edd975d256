"""The workbench (工作台): each person's home counts what waits for them, links to where it
is done, shows nobody another branch's work, and costs a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kaoping.claims.services import claim_submit
from kaoping.meetings.services import leave_request, meeting_schedule
from kaoping.schemes.models import SchemeItem
from kaoping.testing.factories import OrganizationFactory, grant

pytestmark = pytest.mark.django_db


def _at(days: int) -> datetime.datetime:
    return timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + (
        datetime.timedelta(days=days)
    )


def _work_for_b1(d) -> None:
    """A meeting held yesterday (attendance still open), a leave request for tomorrow's
    meeting and a bonus claim: three kinds of work for B1's secretary."""
    for days in (-1, 1):
        meeting = meeting_schedule(
            actor=d.sec1,
            branch=d.b1,
            kind="general",
            starts_at=_at(days),
            place="三楼会议室",
            topic="学习党章",
        )
    leave_request(actor=d.member1, meeting=meeting, reason="出差")
    claim_submit(
        actor=d.member1,
        item=SchemeItem.objects.get(scheme=d.scheme, code="B01"),
        date=datetime.date(2026, 3, 5),
        description="获区级先进工作者",
        proof_text="区委文件 2026-12 号",
    )


def _rows(html: str) -> dict[str, str]:
    """Each work row's label → its count, as the page shows them."""
    import re

    return dict(
        re.findall(r'<li><a href="[^"]+"><span>([^<]+)</span> <span class="kp-count">(\d+)<', html)
    )


def test_a_secretary_sees_the_branch_work_with_counts_and_links(client, district):
    d = district
    _work_for_b1(d)
    client.force_login(d.sec1)
    html = client.get(reverse("workbench:home")).content.decode()
    assert "第一党支部" in html
    rows = _rows(html)
    assert int(rows.pop("预警")) > 0  # an empty branch in the year: meetings not held
    assert f'href="{reverse("monitoring:index")}?branch=B1"' in html
    assert rows == {"请假待审批": "1", "会议考勤待关闭": "1", "加分申报待审核": "1"}
    assert f'href="{reverse("meetings:branch", args=["B1"])}"' in html
    assert f'href="{reverse("claims:branch", args=["B1"])}"' in html


def test_another_branch_secretary_sees_none_of_it(client, district):
    d = district
    _work_for_b1(d)
    client.force_login(d.sec2)
    html = client.get(reverse("workbench:home")).content.decode()
    assert "第二党支部" in html and "第一党支部" not in html
    rows = _rows(html)
    rows.pop("预警", None)  # B2's own warnings (meetings not held), none of B1's work
    assert rows == {}


def test_a_member_sees_their_own_work(client, district):
    d = district
    _work_for_b1(d)
    client.force_login(d.member1)
    html = client.get(reverse("workbench:home")).content.decode()
    rows = _rows(html)
    assert rows.get("未读通知") == "2"  # told of the two meetings
    assert "第一党支部" not in html  # a member keeps no branch


def test_a_login_without_role_is_told_what_to_do(client, district):
    client.force_login(district.outsider)
    html = client.get(reverse("workbench:home")).content.decode()
    assert "请联系本单位的管理员分配角色" in html


def test_the_workbench_costs_the_same_queries_for_one_branch_or_many(client, district):
    d = district
    _work_for_b1(d)
    client.force_login(d.sec1)
    client.get(reverse("workbench:home"))  # warm the menu's cache
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("workbench:home"))
    assert len(one.captured_queries) <= 26  # 14 + the early warnings' 12
    for n in range(6):
        branch = OrganizationFactory(code=f"BX{n}", name=f"新支部{n}", parent=d.p1)
        grant(d.sec1, branch, "secretary")
    client.get(reverse("workbench:home"))
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("workbench:home")).content.decode()
    assert "新支部5" in html
    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_side_menu_offers_each_role_only_its_work(client, district):
    d = district
    client.force_login(d.sec1)
    nav = client.get(reverse("workbench:home")).content.decode()
    assert reverse("meetings:branch", args=["B1"]) in nav and reverse("dues:branch", args=["B1"])
    for committee_only in ("专项督查", "失联党员", "审计日志"):
        assert committee_only not in nav
    client.force_login(d.admin)
    nav = client.get(reverse("workbench:home")).content.decode()
    for committee in ("专项督查", "失联党员", "审计日志", "总览"):
        assert committee in nav
    assert reverse("meetings:branch", args=["B1"]) not in nav


def test_home_is_the_workbench_for_every_role(client, district):
    for user in (district.admin, district.sec1, district.supervisor, district.member1):
        client.force_login(user)
        assert client.get("/")["Location"] == reverse("workbench:home")


def test_a_member_sees_their_live_standing_first(client, district):
    client.force_login(district.member1)
    html = client.get(reverse("workbench:home")).content.decode()
    assert "我的考评（实时）" in html
    assert "<dd>70.0</dd>" in html  # the base score, no entries yet
    client.force_login(district.sec1)
    assert "我的考评（实时）" not in client.get(reverse("workbench:home")).content.decode()
