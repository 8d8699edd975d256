"""Whole journeys in a real Chromium (Playwright) against the live server, each saving
screenshots (``tmp_path``, or ``KAOPING_SCREENSHOT_DIR`` to keep them) and asserting on what
the pages show. Set-up and skip rules as in ``test_browser.py``."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from kaoping.evaluation.models import EvaluationRound, VoteTally
from kaoping.ledger.models import ScoreEntry
from kaoping.meetings.models import LeaveRequest
from kaoping.publication.models import Publication
from kaoping.schemes.models import Scheme
from kaoping.testing.browser import assert_no_horizontal_scroll, snap
from kaoping.testing.factories import b1_meeting

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _at(days: int, hour: int = 9) -> datetime.datetime:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def test_member_on_a_phone_sees_the_score_and_asks_for_leave(
    open_page, live_server, district, shots
):
    meeting = b1_meeting(district, _at(3))
    page = open_page("member1", PHONE)
    assert page.url.endswith("/work/")
    page.get_by_role("link", name="查看我的评分台账").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/me/")
    scores = page.locator("dl.scores")
    assert "综合得分" in scores.inner_text() and "70.0" in scores.inner_text()
    # the meetings card arrives by htmx; its leave link goes to the meeting's form
    leave_link = page.locator(f"a[href='/meetings/{meeting.code}/#leave']")
    leave_link.wait_for()
    assert_no_horizontal_scroll(page)
    snap(page, shots, "journey-a-member-home")

    leave_link.click()
    page.wait_for_load_state()
    page.fill("#leave textarea[name=reason]", "赴省里参加业务培训")
    snap(page, shots, "journey-a-leave-form")
    page.click("#leave button[type=submit]")
    page.wait_for_load_state()
    assert "已提交请假申请，等待支部审批。" in page.locator(".messages").inner_text()
    row = page.locator("table tr", has_text="赴省里参加业务培训")
    assert "待审批" in row.inner_text()
    assert_no_horizontal_scroll(page)
    snap(page, shots, "journey-a-leave-sent")
    leave = LeaveRequest.objects.get()
    assert leave.member == district.m1 and leave.status == LeaveRequest.Status.PENDING


def test_secretary_closes_attendance_and_the_deduction_shows_on_the_member_page(
    open_page, live_server, district, shots
):
    meeting = b1_meeting(district, _at(-1), topic="支部党员大会")
    page = open_page("sec1", DESKTOP)
    page.goto(f"{live_server.url}/branches/B1/meetings/")
    page.click(f"a[href='/meetings/{meeting.code}/']")
    page.wait_for_load_state()
    page.check("input[name='a-M1'][value='absent']")
    page.check("input[name='a-M1B'][value='present']")
    snap(page, shots, "journey-b-attendance")
    page.click("button[name=close]")
    dialog = page.locator("dialog#kp-confirm")  # which entries, before any is recorded
    dialog.locator("ul.consequences").wait_for()
    consequences = dialog.inner_text()
    assert "张三" in consequences and "−2.0 分" in consequences and not ScoreEntry.objects.exists()
    snap(page, shots, "journey-b-close-confirm")
    with page.expect_navigation():
        dialog.locator("[data-confirm-ok]").click()
    page.wait_for_load_state()
    assert "考勤已关闭，新增 1 条扣分记录。" in page.locator(".kp-toasts").inner_text()
    entry = ScoreEntry.objects.get()
    assert entry.member == district.m1 and entry.source == ScoreEntry.Source.MEETING
    # the closed attendance links the entry; the member page shows it and the lower score
    page.click(f"a:text-is('{entry.code}')")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("张三")
    assert "无故缺席" in page.locator("main").inner_text()
    scores = page.locator("dl.scores").inner_text()
    assert "68.0" in scores  # 70 - 2 (D01, the template's absence from a meeting)
    snap(page, shots, "journey-b-member-page")

    # and the member sees the same on their own page, on a phone
    member = open_page("member1", PHONE)
    member.get_by_role("link", name="查看我的评分台账").click()
    member.wait_for_load_state("networkidle")
    assert "68.0" in member.locator("dl.scores").inner_text()
    assert "支部党员大会" in member.locator("main").inner_text()
    assert_no_horizontal_scroll(member)
    snap(member, shots, "journey-b-member-own-page")


def test_year_close_from_the_vote_to_the_published_notice(open_page, live_server, district, shots):
    year = district.scheme.year
    eval_url = f"{live_server.url}/eval/B1/{year}/"
    sec = open_page("sec1", DESKTOP)
    sec.goto(eval_url)
    sec.select_option("#id_vote_method", "online")
    sec.click("form[action$='/open/'] button[type=submit]")
    sec.wait_for_load_state()
    assert "民主评议已开始。" in sec.locator(".messages").inner_text()
    # self-evaluation -> peer review -> secretary's comments
    for _ in range(2):
        sec.click("#steps form[action$='/do/advance/'] button")
        # the dialog shows the consequences the confirmation page lists, then confirms
        sec.locator("#kp-confirm ul.consequences").wait_for()
        with sec.expect_navigation():
            sec.click("#kp-confirm [data-confirm-ok]")
        sec.wait_for_load_state()
    # -> the vote: two scrutineers are named and their shares shown once
    sec.click("#vote-open")
    sec.wait_for_load_state()
    boxes = sec.locator("input[name=scrutineers]")
    for i in range(boxes.count()):
        boxes.nth(i).check()
    sec.click("#confirm button[type=submit]")
    sec.wait_for_load_state()
    shares = [sec.locator(f"#share-{p}").inner_text() for p in (1, 2)]
    assert EvaluationRound.objects.get().step == "vote"
    snap(sec, shots, "journey-c-vote-open")

    member = open_page("member1", PHONE)
    member.goto(f"{live_server.url}/eval/{year}/mine/")
    member.click("#vote a.action")
    member.wait_for_load_state()
    member.check("input[name='m:M1'][value='excellent']")
    member.check("input[name='m:M1B'][value='qualified']")
    assert_no_horizontal_scroll(member)
    snap(member, shots, "journey-c-ballot")
    member.click("form button[type=submit].primary")
    member.wait_for_load_state()
    snap(member, shots, "journey-c-voted")

    sec.goto(eval_url)
    # One of the two voters: enough only with a minimum of one half (the default is 2/3).
    Scheme.objects.filter(year=year).update(vote_min_turnout=Decimal("0.5"))
    sec.click("form[action$='/do/close/'] button")
    sec.locator("#kp-confirm ul.consequences").wait_for()
    assert "投票率 50%" in sec.locator("#kp-confirm").inner_text()
    with sec.expect_navigation():
        sec.click("#kp-confirm [data-confirm-ok]")
    sec.wait_for_load_state()
    assert "投票已截止。" in sec.locator(".messages").inner_text()
    # counting: the two scrutineers type their shares on the secretary's screen
    sec.click("#count-link")
    sec.wait_for_load_state()
    sec.fill("#id_share_1", shares[0])
    sec.fill("#id_share_2", shares[1])
    sec.click("#count button[type=submit]")
    sec.wait_for_load_state()
    assert "计票完成" in sec.locator(".messages").inner_text()
    sec.goto(eval_url)
    sec.click("form[action$='/do/publish/'] button")
    sec.locator("#kp-confirm ul.consequences").wait_for()
    with sec.expect_navigation():
        sec.click("#kp-confirm [data-confirm-ok]")
    sec.wait_for_load_state()
    assert "测评票数已公布，进入组织认定。" in sec.locator(".messages").inner_text()
    totals = sec.locator("#totals").inner_text()
    assert "张三" in totals and "李四" in totals
    assert VoteTally.objects.filter(member=district.m1, option="excellent", count=1).exists()
    snap(sec, shots, "journey-c-tallies")

    # determination (组织认定) and the publication notice (公示)
    sec.click("a:text-is('组织认定与公示')")
    sec.wait_for_load_state()
    row = sec.locator("#determination tr", has_text="张三")
    assert "100.0" in row.inner_text()  # 70 + 100 % x 0.30
    assert "94.0" in sec.locator("#determination tr", has_text="李四").inner_text()
    sec.click("#publication button[type=submit]")
    sec.locator("#kp-confirm ul.consequences").wait_for()
    assert "公示期" in sec.locator("#kp-confirm").inner_text()  # the consequences first
    with sec.expect_navigation():
        sec.click("#kp-confirm [data-confirm-ok]")
    sec.wait_for_load_state()
    notice = sec.locator("#publication").inner_text()
    assert "第 1 次公示于" in notice
    assert Publication.objects.filter(branch=district.b1, year=year).exists()
    snap(sec, shots, "journey-c-published")
    # finalising needs the notice period to be over: that step is not part of this journey


def test_committee_admin_drafts_simulates_and_adopts_on_a_phone(
    open_page, live_server, district, shots
):
    from decimal import Decimal

    from kaoping.evaluation.services import tally_set
    from kaoping.schemes.models import Scheme
    from kaoping.schemes.services import scheme_update

    scheme_update(actor=None, scheme=district.scheme, excellent_quota=Decimal("1"))
    tally_set(actor=None, year=2026, member=district.m1, counts={"excellent": 10})
    tally_set(actor=None, year=2026, member=district.m1b, counts={"qualified": 10})
    page = open_page("admin", PHONE)
    page.goto(f"{live_server.url}/schemes/2026/")
    page.click("#planning a.action")
    page.wait_for_load_state()
    page.fill("#id_title", "2027 年度方案（提高优秀分数线）")
    page.click("form[action='/planning/'] button[type=submit]")
    page.wait_for_load_state()
    page.fill("#id_excellent_threshold", "95")
    page.click("form[action$='/settings/'] button[type=submit]")
    page.wait_for_load_state()
    assert "已保存草案设置。" in page.locator(".messages").inner_text()
    changes = page.locator("table.grade-changes").inner_text()
    assert "李四（M1B）" in changes and "张三" not in changes
    assert_no_horizontal_scroll(page)
    snap(page, shots, "journey-d-simulation")
    page.click("form[action$='/adopt/'] button[type=submit]")
    page.wait_for_load_state()
    assert "2027 年度考评方案" in page.locator("h1").inner_text()
    assert Scheme.objects.get(year=2027).excellent_threshold == Decimal("95")
    snap(page, shots, "journey-d-adopted")


def test_first_user_sets_up_an_empty_installation(open_page, live_server, shots):
    from django.contrib.auth.models import User

    from kaoping.orgs.models import Organization

    User.objects.create_user("first", password="pass-for-tests-1")
    page = open_page("first", PHONE)
    assert page.url.endswith("/setup/")
    snap(page, shots, "journey-e-empty")
    page.fill("#step-committee #id_code", "W")
    page.fill("#step-committee #id_name", "区直机关工委")
    page.click("#step-committee button[type=submit]")
    page.wait_for_load_state()
    page.fill("#step-branches #id_code", "B1")
    page.fill("#step-branches #id_name", "第一党支部")
    page.click("#step-branches button[type=submit]")
    page.wait_for_load_state()
    page.click("#step-scheme button[type=submit]")
    page.wait_for_load_state()
    assert "基本设置已完成。" in page.locator("main").inner_text()
    assert Organization.objects.filter(code="B1", parent__code="W").exists()
    assert_no_horizontal_scroll(page)
    snap(page, shots, "journey-e-done")
    page.click("#step-roster a.action")
    page.wait_for_load_state()
    assert "/branches/B1/" in page.url  # the roster import, or the branch's add-member form
