"""The server-rendered pages through Django's test client, on the real database."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from kaoping.evaluation.models import QuotaDecision, VoteTally
from kaoping.evaluation.services import tally_set
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import entry_record
from kaoping.orgs.models import Member, Organization
from kaoping.schemes.models import SchemeItem
from kaoping.schemes.services import scheme_create
from kaoping.testing.factories import MemberFactory

pytestmark = pytest.mark.django_db


def item(district, code="D01"):
    return SchemeItem.objects.get(scheme=district.scheme, code=code)


def record(district, member, code="D01", actor=None, **kwargs):
    kwargs.setdefault("date", datetime.date(2026, 3, 1))
    return entry_record(actor=actor, member=member, item=item(district, code), **kwargs)


def login(client, user):
    client.force_login(user)
    return client


def entry_post(district, **overrides):
    return {
        "year": "2026",
        "member": district.m1.pk,
        "item": item(district).pk,
        "date": "2026-04-02",
        "occurrences": "1",
        "note": "四月支部大会无故缺席",
        "evidence": "签到表",
    } | overrides


# --------------------------------------------------------------------------- login, home


def test_login_with_password_lands_on_the_secretarys_workbench(client, district):
    page = client.get(reverse("web:login"))
    assert page.status_code == 200
    assert "登录" in page.content.decode()
    response = client.post(
        reverse("web:login"), {"username": "sec1", "password": "pass-for-tests-1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("workbench:home")
    html = response.content.decode()
    assert "第一党支部" in html and reverse("web:branch", args=["B1"]) in html


def test_logout_is_a_post(client, district):
    login(client, district.sec1)
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert client.get(reverse("web:me")).status_code == 302  # back to the login page


@pytest.mark.parametrize("username", ["admin", "orgdept", "sec1", "supervisor", "member1"])
def test_home_redirects_by_role(client, district, username):
    """Every role starts on the workbench."""
    login(client, getattr(district, username))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/work/"


def test_home_explains_a_login_without_role(client, district):
    login(client, district.outsider)
    response = client.get("/")
    assert response.status_code == 200
    assert "尚未关联" in response.content.decode()


def test_anonymous_goes_to_login(client, district):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


# --------------------------------------------------------------------------- who sees what


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("member1", "/me/"),
        ("member1", "/members/M1/"),
        ("sec1", "/members/M1/"),
        ("sec1", "/members/M1B/"),
        ("sec1", "/branches/B1/"),
        ("sec1", "/schemes/"),
        ("sec1", "/schemes/2026/"),
        ("sec2", "/branches/B2/"),
        ("supervisor", "/branches/B2/"),
        ("supervisor", "/members/M2/"),
        ("admin", "/overview/"),
        ("admin", "/branches/B1/"),
        ("admin", "/branches/R1/"),
        ("admin", "/members/R01/"),
        ("admin", "/schemes/"),
        ("admin", "/schemes/2026/"),
        ("admin", "/schemes/2026/items/D01/"),
        ("admin", "/organizations/B1/"),
        ("orgdept", "/overview/"),
        ("orgdept", "/schemes/2026/"),
        ("orgdept", "/branches/B2/"),
        ("sec1", "/members/M1/edit/"),
        ("sec1", "/members/M1/tally/"),
        ("sec1", "/members/M1/decision/"),
    ],
)
def test_pages_render_for_the_right_roles(client, district, username, url):
    login(client, getattr(district, username))
    assert client.get(url).status_code == 200


def test_member_page_shows_the_live_score_and_ledger(client, district):
    record(district, district.m1, "D01", occurrences=2, note="缺席两次")
    bonus = record(district, district.m1, "B06", note="省级奖励")
    record(district, district.m1, "B02")
    record(district, district.m1, "B02")
    login(client, district.member1)
    html = client.get("/me/?year=2026").content.decode()
    assert "张三" in html
    assert "缺席两次" in html and "省级奖励" in html
    # 70 − 4 + min(10, 5 + 3 + 3) = 76; the bonus used 10 of the 10-point cap
    assert "76.0" in html
    assert "计入 10.0，上限 10.0" in html
    assert bonus.code in html


def test_branch_page_is_sorted_by_rank(client, district):
    record(district, district.m1, "D07")
    login(client, district.sec1)
    html = client.get("/branches/B1/").content.decode()
    assert html.index("李四") < html.index("张三")
    assert "67.0" in html and "70.0" in html


def _entry_of(district, member):
    return record(district, member, "D01")


@pytest.mark.parametrize("username", ["member1", "sec2"])
def test_out_of_scope_objects_are_404(client, district, username):
    other = district.m1b if username == "member1" else district.m1
    entry = _entry_of(district, other)
    login(client, getattr(district, username))
    gets = [
        f"/members/{other.code}/",
        "/branches/B1/",
        f"/entries/{entry.code}/reverse/",
        f"/members/{other.code}/tally/",
        f"/members/{other.code}/decision/",
        f"/members/{other.code}/edit/",
        "/members/NOPE/",
        "/branches/NOPE/",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = {
        "/branches/B1/entries/": entry_post(district),
        "/branches/B1/members/": {"code": "X1", "name": "甲", "status": "active"},
        f"/entries/{entry.code}/reverse/": {"reason": "错录"},
        f"/members/{other.code}/tally/": {"year": "2026", "excellent": "3"},
        f"/members/{other.code}/decision/": {"year": "2026", "excellent": "yes", "note": "x"},
        f"/members/{other.code}/edit/": {"name": "改名", "status": "active"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    assert ScoreEntry.objects.count() == 1
    assert not VoteTally.objects.exists()
    assert not Member.objects.filter(code="X1").exists()
    assert Member.objects.get(pk=other.pk).name == other.name


def test_member_and_outsider_do_not_see_officer_pages(client, district):
    for user in (district.member1, district.outsider):
        login(client, user)
        for url in ("/overview/", "/schemes/", "/schemes/2026/", "/organizations/W/"):
            assert client.get(url).status_code == 404, url
    # The outsider has no member record and no role: /me/ says whom to ask (issue 16).
    page = client.get("/me/")
    assert page.status_code == 200 and "尚未关联" in page.content.decode()


@pytest.mark.parametrize("username", ["orgdept", "supervisor"])
def test_read_only_roles_cannot_write(client, district, username):
    entry = record(district, district.m2, "D01")
    login(client, getattr(district, username))
    posts = {
        "/branches/B2/entries/": entry_post(district, member=district.m2.pk),
        "/branches/B2/members/": {"code": "X2", "name": "乙", "status": "active"},
        f"/entries/{entry.code}/reverse/": {"reason": "错录"},
        "/members/M2/tally/": {"year": "2026", "excellent": "3"},
        "/members/M2/decision/": {"year": "2026", "excellent": "yes", "note": "x"},
        "/members/M2/edit/": {"name": "改名", "status": "active", "membership": "full"},
        "/schemes/": {"year": "2027", "source": "template"},
        "/schemes/2026/items/": {"code": "Z9", "kind": "bonus", "name": "x", "points": "1"},
        "/organizations/": {"code": "B9", "name": "x", "kind": "branch", "parent": ""},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code in (403, 404), url
    assert ScoreEntry.objects.count() == 1
    assert not VoteTally.objects.exists()
    assert not Member.objects.filter(code="X2").exists()
    assert not Organization.objects.filter(code="B9").exists()
    # the read-only pages offer no forms
    html = client.get("/branches/B2/").content.decode()
    assert "录入加扣分记录" not in html and "冲销</a>" not in html


def test_secretary_cannot_change_the_scheme(client, district):
    login(client, district.sec1)
    assert client.post("/schemes/", {"year": "2027", "source": "template"}).status_code == 403
    assert "修改设置" not in client.get("/schemes/2026/").content.decode()


# --------------------------------------------------------------------------- the ledger


def test_recording_an_entry_updates_the_branch_page(client, district):
    login(client, district.sec1)
    response = client.post("/branches/B1/entries/", entry_post(district), follow=True)
    assert response.status_code == 200
    entry = ScoreEntry.objects.get()
    assert (entry.member, entry.points, entry.recorded_by) == (
        district.m1,
        Decimal("2.0000"),
        district.sec1,
    )
    assert entry.note == "四月支部大会无故缺席" and entry.evidence == "签到表"
    html = response.content.decode()
    assert "已为 张三 记录" in html
    assert '<td class="num strong composite">68.0</td>' in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"occurrences": "0"}, "次数至少为 1"),
        ({"date": "2025-12-31"}, "日期不在 2026 年度内"),
        ({"date": "2026-13-01"}, "输入一个有效的日期"),
        ({"member": "999999"}, "选择一个有效的选项"),
    ],
)
def test_bad_entry_input_shows_the_message_and_creates_nothing(
    client, district, overrides, message
):
    login(client, district.sec1)
    response = client.post("/branches/B1/entries/", entry_post(district, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ScoreEntry.objects.exists()


def test_an_item_of_another_year_is_refused(client, district):
    old = scheme_create(actor=None, year=2025)
    old_item = SchemeItem.objects.get(scheme=old, code="D01")
    login(client, district.sec1)
    for data in (
        entry_post(district, item=old_item.pk),
        entry_post(district, item=old_item.pk, date="2025-06-01"),
    ):
        response = client.post("/branches/B1/entries/", data)
        assert response.status_code == 200
        assert "选择一个有效的选项" in response.content.decode() or "不在" in (
            response.content.decode()
        )
    # a date of another year with this year's item: the 2026 page refuses the date
    response = client.post(
        "/branches/B1/entries/?year=2025", entry_post(district, year="2025", date="2025-06-01")
    )
    assert "选择一个有效的选项" in response.content.decode()
    assert not ScoreEntry.objects.exists()


def test_an_item_of_the_other_category_is_not_offered(client, district):
    login(client, district.sec1)
    retired_item = item(district, "R01")
    response = client.post("/branches/B1/entries/", entry_post(district, item=retired_item.pk))
    assert "选择一个有效的选项" in response.content.decode()
    assert not ScoreEntry.objects.exists()


def test_reversal_needs_a_reason_and_is_shown_as_such(client, district):
    entry = record(district, district.m1, "D07", actor=district.sec1)
    login(client, district.sec1)
    url = f"/entries/{entry.code}/reverse/"
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200
    assert "冲销必须填写理由" in response.content.decode()
    assert ScoreEntry.objects.count() == 1

    asked = client.post(url, {"reason": "录错了人", "next": "/branches/B1/?year=2026"})
    assert asked.status_code == 200 and "确认冲销" in asked.content.decode()
    assert ScoreEntry.objects.count() == 1  # nothing until confirmed
    response = client.post(
        url, {"reason": "录错了人", "next": "/branches/B1/?year=2026", "confirm": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/branches/B1/?year=2026"
    reversal = ScoreEntry.objects.get(reverses=entry)
    assert reversal.note == "录错了人"

    login(client, district.member1)
    html = client.get("/me/").content.decode()
    assert 'class="entry reversed"' in html
    assert f"冲销 {entry.code}" in html and "录错了人" in html
    assert "70.0" in html
    # a second reversal is refused with a message
    login(client, district.sec1)
    response = client.post(url, {"reason": "again"})
    assert response.status_code == 200
    assert "已经冲销过了" in response.content.decode()
    assert ScoreEntry.objects.count() == 2


def test_htmx_gets_fragments_and_a_client_redirect(client, district):
    entry = record(district, district.m1, "D01")
    login(client, district.sec1)
    url = f"/entries/{entry.code}/reverse/"
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'name="reason"' in fragment
    error = client.post(url, {"reason": ""}, headers={"HX-Request": "true"})
    assert "<html" not in error.content.decode() and "冲销必须填写理由" in error.content.decode()
    done = client.post(
        url,
        {"reason": "错录", "next": "/branches/B1/", "confirm": "1"},
        headers={"HX-Request": "true"},
    )
    assert done["HX-Redirect"] == "/branches/B1/"


# --------------------------------------------------------------------------- evaluation


def test_tally_form_sets_the_democratic_score(year_2026_over, client, district):
    login(client, district.sec1)
    response = client.post(
        "/members/M1/tally/",
        {"year": "2026", "excellent": "3", "qualified": "1", "basic": "0", "unqualified": "0"},
    )
    assert response.status_code == 302
    assert dict(VoteTally.objects.filter(member=district.m1).values_list("option", "count")) == {
        "excellent": 3,
        "qualified": 1,
        "basic": 0,
        "unqualified": 0,
    }
    html = client.get("/branches/B1/").content.decode()
    assert "95.00%" in html and "98.5" in html  # 70 + 0.3 × 95
    bad = client.post("/members/M1/tally/", {"year": "2026", "excellent": "-1"})
    assert "票数不能为负数" in bad.content.decode()


def test_quota_tie_decision(client, district):
    for n in range(5):
        MemberFactory(code=f"T{n}", branch=district.b1)
    for member in (district.m1, district.m1b):  # 7 members: one place, two at 100
        tally_set(actor=None, year=2026, member=member, counts={"excellent": 5})
    login(client, district.sec1)
    html = client.get("/branches/B1/").content.decode()
    assert html.count("优秀名额并列，待组织认定") == 3  # each row, and the line naming them
    assert "/members/M1/decision/" in html
    response = client.post("/members/M1/decision/", {"year": "2026", "excellent": "yes"})
    assert "组织认定必须填写理由" in response.content.decode()
    response = client.post(
        "/members/M1/decision/", {"year": "2026", "excellent": "yes", "note": "支委会决定"}
    )
    assert response.status_code == 302
    decision = QuotaDecision.objects.get(member=district.m1)
    assert decision.excellent and decision.note == "支委会决定"
    html = client.get("/members/M1/").content.decode()
    assert "优秀共产党员" in html


# --------------------------------------------------------------------------- roster, tree, scheme


def test_roster_add_and_edit(client, district):
    login(client, district.sec1)
    data = {"code": "M9", "name": "钱七", "status": "active", "membership": "probationary"}
    assert client.post("/branches/B1/members/", data).status_code == 302
    member = Member.objects.get(code="M9")
    assert (member.branch, member.membership) == (district.b1, "probationary")
    again = client.post("/branches/B1/members/", data | {"code": "M2"})
    assert "编号 M2 已被使用" in again.content.decode()
    assert Member.objects.get(code="M2").branch == district.b2
    response = client.post(
        "/members/M9/edit/", {"name": "钱七七", "status": "lost_contact", "membership": "full"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    # the status is not typed here: it changes with its record on the archive page
    assert (member.name, member.status, member.membership) == ("钱七七", "active", "full")


def test_admin_manages_the_organisation_tree(client, district):
    login(client, district.admin)
    data = {"code": "B3", "name": "第三党支部", "kind": "branch", "parent": district.p1.pk}
    assert client.post("/organizations/", data | {"category": "in_service"}).status_code == 302
    assert Organization.objects.get(code="B3").path == "/W/P1/B3/"
    no_parent = client.post("/organizations/", data | {"code": "B4", "parent": ""})
    assert "每个组织都要有上级组织" in no_parent.content.decode()
    under_branch = client.post(
        "/organizations/", data | {"code": "B5", "parent": district.b1.pk, "category": "retired"}
    )
    assert "选择一个有效的选项" in under_branch.content.decode()
    edit = client.post(
        "/organizations/B3/",
        {"name": "第三支部", "kind": "branch", "parent": district.root.pk, "category": "retired"},
    )
    assert edit.status_code == 302
    b3 = Organization.objects.get(code="B3")
    assert (b3.name, b3.path, b3.category) == ("第三支部", "/W/B3/", "retired")
    assert "第三支部" in client.get("/overview/").content.decode()


def test_admin_creates_and_edits_a_scheme(client, district):
    login(client, district.admin)
    response = client.post("/schemes/", {"year": "2027", "source": "copy:2026"})
    assert response.status_code == 302 and response["Location"] == "/schemes/2027/"
    html = client.get("/schemes/2027/").content.decode()
    assert "无故缺席三会一课" in html and "基础分" in html and "扣完为止" in html
    dup = client.post("/schemes/", {"year": "2027", "source": "template"})
    assert "年度的考评方案已经存在" in dup.content.decode()

    settings = {
        "base_points": "70",
        "bonus_cap": "8",
        "democratic_share": "30",
        "excellent_threshold": "90",
        "qualified_threshold": "70",
        "basic_threshold": "60",
        "excellent_quota": "20",
        "quota_rounding": "round_half_up",
        "notice_days": "7",
        "vote_min_turnout": "50",
        "ballot_excellent": "100",
        "ballot_qualified": "80",
        "ballot_basic": "60",
        "ballot_unqualified": "0",
    }
    assert client.post("/schemes/2027/settings/", settings).status_code == 302
    html = client.get("/schemes/2027/").content.decode()
    assert "20%" in html and "四舍五入" in html and "50%" in html
    bad = client.post("/schemes/2027/settings/", settings | {"basic_threshold": "95"})
    assert "基本合格 ≤ 合格 ≤ 优秀" in bad.content.decode()

    new_item = {"code": "B10", "kind": "bonus", "group": "volunteer", "name": "献血", "points": "1"}
    assert client.post("/schemes/2027/items/", new_item).status_code == 302
    assert SchemeItem.objects.filter(scheme__year=2027, code="B10").exists()
    dup = client.post("/schemes/2027/items/", new_item)
    assert "已存在" in dup.content.decode()
    edited = client.post("/schemes/2027/items/B10/", new_item | {"points": "1.5"})
    assert edited.status_code == 302
    assert SchemeItem.objects.get(scheme__year=2027, code="B10").points == Decimal("1.5")


def test_read_only_roles_see_the_scheme_without_forms(client, district):
    login(client, district.orgdept)
    html = client.get("/schemes/2026/").content.decode()
    assert "民主测评占比" in html and "30%" in html
    assert "修改设置" not in html and "添加指标" not in html
    assert client.get("/schemes/2026/items/D01/").status_code == 403
    assert client.get("/schemes/2099/").status_code == 404


# --------------------------------------------------------------------------- queries, escaping


def _grow(district, n):
    for i in range(n):
        member = MemberFactory(code=f"G{n}-{i}", branch=district.b1)
        record(district, member, "D01")
        record(district, member, "B01")
        tally_set(actor=None, year=2026, member=member, counts={"qualified": 2})


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize(
    ("username", "url", "most"),
    [
        # 21: the frozen-year notice and who may type in counts (issue 15, items 12 and 15);
        # 23: the ledger's page is counted and its filter offers the items' groups (issue 19).
        ("sec1", "/branches/B1/", 23),
        ("admin", "/overview/", 18),
        ("member1", "/me/", 16),
    ],
    ids=["branch", "overview", "member"],
)
def test_page_query_count_is_constant(
    client, district, django_assert_max_num_queries, size, username, url, most
):
    """The pages read as many rows as there are members, and M1 as many entries, in a
    fixed number of queries."""
    _grow(district, size)
    for _ in range(size):
        record(district, district.m1, "D08")
    login(client, getattr(district, username))
    client.get(url)  # warm the session
    with django_assert_max_num_queries(most):
        response = client.get(url)
    assert response.status_code == 200


def test_overview_counts_grades_per_branch(client, district):
    tally_set(actor=None, year=2026, member=district.m2, counts={"unqualified": 1})
    login(client, district.admin)
    response = client.get("/overview/")
    rows = {r["branch"].code: r for r in response.context["rows"]}
    assert rows["B1"]["members"] == 2 and rows["B1"]["grades"]["qualified"] == 2
    assert rows["B2"]["grades"]["basic"] == 0 and rows["B2"]["grades"]["qualified"] == 1


def test_member_names_are_escaped(client, district):
    MemberFactory(code="XSS", name="<script>alert(1)</script>", branch=district.b1)
    login(client, district.sec1)
    for url in ("/branches/B1/", "/members/XSS/"):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_no_inline_scripts(client, district):
    login(client, district.sec1)
    html = client.get("/branches/B1/").content.decode()
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)
    assert len(scripts) == html.count("<script") == 3  # htmx, Tom Select, kaoping.js
    assert not any(body.strip() for body in scripts)
    assert '<script src="/static/vendor/htmx.min.js" defer></script>' in html


# --------------------------------------------------------------------------- language, errors


def test_error_pages_are_in_chinese(client, district):
    login(client, district.member1)
    assert "页面不存在" in client.get("/members/M2/").content.decode()
    login(client, district.supervisor)
    forbidden = client.post("/members/M2/tally/", {"year": "2026", "excellent": "1"})
    assert forbidden.status_code == 403 and "无权操作" in forbidden.content.decode()


def test_language_switch_to_english(client, district):
    login(client, district.member1)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/me/"}, follow=True)
    html = response.content.decode()
    assert "Score ledger" in html and "Composite" in html
    assert "评分台账" not in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/me/"})
    assert "评分台账" in client.get("/me/").content.decode()
