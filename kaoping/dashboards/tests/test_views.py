"""The dashboards through HTTP, for each role: who sees what, the numbers, query counts."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kaoping.dues.services import dues_rate_set
from kaoping.ledger.services import entry_record, entry_reverse
from kaoping.meetings.services import attendance_take, meeting_close
from kaoping.publication.models import Publication
from kaoping.schemes.models import SchemeItem
from kaoping.scoring.services import branch_results_store, grade_record_set
from kaoping.testing.factories import MemberFactory, b1_meeting, dues_paid

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def item(d, code):
    return SchemeItem.objects.get(scheme=d.scheme, code=code)


def record(d, member, code, date, occurrences=1):
    return entry_record(
        actor=d.sec1 if member.branch_id == d.b1.id else d.sec2,
        member=member,
        item=item(d, code),
        date=date,
        occurrences=occurrences,
        note="",
        evidence="",
    )


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --------------------------------------------------------------------------- access


@pytest.mark.parametrize(
    ("user", "url", "status"),
    [
        ("member1", ("dashboards:member", ["M1"]), 200),
        ("member1", ("dashboards:member", ["M1B"]), 404),
        ("member1", ("dashboards:member", ["M2"]), 404),
        ("member1", ("dashboards:branch", ["B1"]), 404),
        ("member1", ("dashboards:committee", []), 404),
        ("member1", ("dashboards:report_print", ["B1"]), 404),
        ("member1", ("dashboards:ledger_print", ["M1"]), 200),
        ("member1", ("dashboards:ledger_print", ["M2"]), 404),
        ("sec1", ("dashboards:branch", ["B1"]), 200),
        ("sec1", ("dashboards:branch", ["B2"]), 404),
        ("sec1", ("dashboards:branch", ["NOPE"]), 404),
        ("sec1", ("dashboards:member", ["M1B"]), 200),
        ("sec1", ("dashboards:member", ["M2"]), 404),
        ("sec1", ("dashboards:report_print", ["B1"]), 200),
        ("sec1", ("dashboards:report_print", ["B2"]), 404),
        ("sec1", ("dashboards:ledger_print", ["M2"]), 404),
        ("sec2", ("dashboards:branch", ["B1"]), 404),
        ("supervisor", ("dashboards:branch", ["B2"]), 200),
        ("supervisor", ("dashboards:branch", ["B1"]), 404),
        ("admin", ("dashboards:committee", []), 200),
        ("admin", ("dashboards:branch", ["R1"]), 200),
        ("admin", ("dashboards:branch", ["P1"]), 404),  # not a branch
        ("orgdept", ("dashboards:committee", []), 200),
        ("outsider", ("dashboards:committee", []), 404),
        ("outsider", ("dashboards:member", ["M1"]), 404),
        ("outsider", ("dashboards:home", []), 404),
    ],
)
def test_access(client, district, user, url, status):
    client.force_login(getattr(district, user))
    name, args = url
    assert client.get(reverse(name, args=args)).status_code == status


def test_anonymous_is_sent_to_login(client, district):
    response = client.get(reverse("dashboards:committee"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_home_lands_on_the_right_dashboard(client, district):
    for user, target in [
        (district.member1, reverse("dashboards:mine")),
        (district.sec1, reverse("dashboards:branch", args=["B1"])),
        (district.admin, reverse("dashboards:committee")),
    ]:
        client.force_login(user)
        assert client.get(reverse("dashboards:home"))["Location"] == target


def test_unknown_year_is_404_and_no_year_400(client, district):
    client.force_login(district.sec1)
    assert client.get(reverse("dashboards:branch", args=["B1"]), {"year": 1999}).status_code == 404
    # not a year at all: refused by kaoping/kit/urlparams.py like every query string
    assert client.get(reverse("dashboards:branch", args=["B1"]), {"year": "x"}).status_code == 400


# --------------------------------------------------------------------------- member


def test_member_dashboard_gauges_timeline_and_rank(client, district):
    d = district
    record(d, d.m1, "D01", datetime.date(2026, 1, 10), occurrences=2)  # 2 × 2 points
    wrong = record(d, d.m1, "D01", datetime.date(2026, 2, 10))
    entry_reverse(actor=d.sec1, entry=wrong, reason="录错")
    record(d, d.m1, "B01", datetime.date(2026, 3, 5))
    record(d, d.m2, "D01", datetime.date(2026, 1, 10))  # someone else's: not counted
    client.force_login(d.member1)
    page = html(client.get(reverse("dashboards:mine")))
    assert "张三 的看板" in page
    d01 = item(d, "D01").points * 2
    b01 = item(d, "B01").points
    daily = d.scheme.base_points - d01 + b01
    assert f'aria-label="日常考评得分：{daily:.1f} / 80.0"' in page
    assert f'aria-label="加分上限已用：{b01:.1f} / 10.0"' in page
    # the timeline counts live entries only (the reversed pair is out), month by month
    assert f"累计扣分 1月 {d01:.1f}、2月 {d01:.1f}、3月 {d01:.1f}" in page
    assert f"累计加分 1月 0.0、2月 0.0、3月 {b01:.1f}" in page
    assert "王五" not in page
    assert "结果公示后，这里显示你的排名" in page

    branch_results_store(actor=None, scheme=d.scheme, branch=d.b1)
    Publication.objects.create(
        year=2026, branch=d.b1, notice_until=timezone.now() + datetime.timedelta(days=5)
    )
    page = html(client.get(reverse("dashboards:mine")))
    assert "第 <strong>" in page and "（共 2 人）" in page


def test_member_dashboard_query_count(client, district, django_assert_max_num_queries):
    d = district
    for i in range(1, 13):
        record(d, d.m1, "D01", datetime.date(2026, i, 3))
    client.force_login(d.member1)
    with django_assert_max_num_queries(25):
        html(client.get(reverse("dashboards:mine")))


# --------------------------------------------------------------------------- branch


def test_branch_dashboard_ranking_deductions_attendance_dues(client, district):
    d = district
    record(d, d.m1b, "D01", datetime.date(2026, 3, 2))
    record(d, d.m1b, "D03", datetime.date(2026, 3, 20))
    record(d, d.m1, "D03", datetime.date(2026, 4, 1))
    meeting = b1_meeting(
        d, datetime.datetime(2026, 5, 8, 9, 0, tzinfo=SHANGHAI), place="会议室", topic="学习"
    )
    attendance_take(actor=d.sec1, meeting=meeting, statuses={"M1": "present", "M1B": "absent"})
    meeting_close(actor=d.sec1, meeting=meeting)
    dues_paid(d, d.m1, Decimal("20"), datetime.date(2026, 1, 3))
    dues_rate_set(actor=d.sec1, member=d.m1b, year=2026, amount=Decimal("30"))
    client.force_login(d.sec1)
    page = html(client.get(reverse("dashboards:branch", args=["B1"])))
    assert "第一党支部 看板" in page
    # ranking: M1 (one D03) above M1B (D01 + D03 + the absence's D01)
    assert page.index("1. 张三") < page.index("2. 李四")
    assert "王五" not in page
    # deductions by item and month: March has D01 and D03 of M1B; May the absence
    d01, d03 = item(d, "D01").points, item(d, "D03").points
    assert f"3月 D01 {item(d, 'D01').name} {d01:.1f}、D03 {item(d, 'D03').name} {d03:.1f}" in page
    assert f"5月 D01 {item(d, 'D01').name} {d01:.1f}" in page
    # attendance: May 1 of 2 present
    assert "出席率 5月 50.0%" in page
    # dues: January M1 paid on time, M1B unpaid → 50%
    assert "1月 50.0%" in page
    assert "待审核加分申报" in page and "不合格党员候选</a> <strong>0</strong>" in page


def test_candidates_come_from_the_unqualified_procedure(client, district):
    d = district
    grade_record_set(actor=None, member=d.m1b, year=2025, grade="warning")
    grade_record_set(actor=None, member=d.m1, year=2025, grade="warning")
    record(d, d.m1b, "D01", datetime.date(2026, 3, 2), occurrences=6)  # 70 − 12: a warning
    branch_results_store(actor=None, scheme=d.scheme, branch=d.b1)  # the stored grades count
    client.force_login(d.sec1)
    page = html(client.get(reverse("dashboards:branch", args=["B1"])))
    assert "不合格党员候选</a> <strong>1</strong>" in page
    assert "李四" in page and "连续2年为“警示党员”" in page
    client.force_login(d.supervisor)  # reads B2 but acts on no case there: no candidates
    assert "不合格党员候选" not in html(client.get(reverse("dashboards:branch", args=["B2"])))
    client.force_login(d.admin)
    page = html(client.get(reverse("dashboards:committee")))
    row = page[page.index("第一党支部</a>") : page.index("第二党支部</a>")]
    assert row.count('<td class="num">1</td>') == 1  # one candidate, no lost contact


def test_branch_dashboard_query_count_does_not_grow(
    client, district, django_assert_max_num_queries
):
    d = district
    for n in range(12):
        m = MemberFactory(code=f"X{n}", name=f"党员{n}", branch=d.b1)
        record(d, m, "D01", datetime.date(2026, 1 + n % 12, 5))
        dues_rate_set(actor=d.sec1, member=m, year=2026, amount=Decimal("10"))
    client.force_login(d.sec1)
    with django_assert_max_num_queries(40):
        html(client.get(reverse("dashboards:branch", args=["B1"])))


# --------------------------------------------------------------------------- committee


def test_committee_dashboard_compares_branches(client, district, django_assert_max_num_queries):
    d = district
    record(d, d.m1, "D01", datetime.date(2026, 2, 2))
    d.m1b.status = "lost_contact"
    d.m1b.save()
    client.force_login(d.admin)
    with django_assert_max_num_queries(40):
        page = html(client.get(reverse("dashboards:committee")))
    for name in ("第一党支部", "第二党支部", "离退休干部党支部"):
        assert name in page
    base = d.scheme.base_points
    b1_average = (base - item(d, "D01").points + base) / 2
    assert f"第一党支部 {b1_average:.1f}" in page  # the average chart's label
    assert "各支部评议进度" in page and "未开始" in page
    # the lost-contact count of B1
    assert '<td class="num">1</td>' in page


def test_committee_dashboard_secretary_sees_only_their_branch(client, district):
    client.force_login(district.sec1)
    page = html(client.get(reverse("dashboards:committee")))
    assert "第一党支部" in page and "第二党支部" not in page


# --------------------------------------------------------------------------- print


def test_member_ledger_print(client, district):
    d = district
    record(d, d.m1, "D01", datetime.date(2026, 1, 10))
    wrong = record(d, d.m1, "D03", datetime.date(2026, 2, 10))
    reversal = entry_reverse(actor=d.sec1, entry=wrong, reason="录错")
    client.force_login(d.member1)
    page = html(client.get(reverse("dashboards:ledger_print", args=["M1"]), {"year": 2026}))
    assert "张三 2026 年度评分台账" in page
    assert "区财政局机关党委 · 第一党支部" in page  # the organisation
    assert "dashboards/print.css" in page and 'class="page-foot"' in page
    assert page.count('class="void"') == 2 and f"冲销 {wrong.code}" in page
    assert f"已被 {reversal.code} 冲销" in page


def test_branch_report_print(client, district):
    d = district
    record(d, d.m1, "D01", datetime.date(2026, 6, 10))
    client.force_login(d.sec1)
    page = html(client.get(reverse("dashboards:report_print", args=["B1"]), {"year": 2026}))
    assert "第一党支部 2026 年度党员考评报告" in page
    assert "张三" in page and "李四" in page and "王五" not in page
    assert "实时结果，尚未公示" in page
    assert "<svg" in page


def test_hooks_link_the_dashboards(client, district):
    client.force_login(district.sec1)
    page = html(client.get(reverse("web:branch", args=["B1"])))
    assert reverse("dashboards:branch", args=["B1"]) in page
    assert reverse("dashboards:home") in page  # the navigation
    page = html(client.get(reverse("web:member", args=["M1"])))
    assert reverse("dashboards:ledger_print", args=["M1"]) in page
    client.force_login(district.admin)
    assert reverse("dashboards:committee") in html(client.get(reverse("web:overview")))
