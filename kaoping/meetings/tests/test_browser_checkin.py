"""扫码签到 in a real Chromium (issue 20): the projector's screen on a desktop, three
members' phones (375 px) opening the code's URL read from that screen (logging in on the
way), the live count reaching three, the attendance closed from the prefilled form, and
the absent member's deduction on their own page."""

import datetime

import pytest
from django.utils import timezone

from kaoping.ledger.models import ScoreEntry
from kaoping.meetings.models import CheckIn
from kaoping.orgs.services import member_link_user
from kaoping.testing.browser import PASSWORD, assert_no_horizontal_scroll, snap
from kaoping.testing.factories import UserFactory, b1_meeting, member_with_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
WAIT = 15_000  # ms: the screen polls every 5 s


def test_projector_and_three_phones(open_page, live_server, district, shots):
    d = district
    member_link_user(actor=None, member=d.m1b, user=UserFactory(username="member1b"))
    m3 = member_with_login(d.b1, "M3", "孙八", "member3")
    m4 = member_with_login(d.b1, "M4", "周九", "member4")
    starts_at = timezone.now() + datetime.timedelta(minutes=10)
    meeting = b1_meeting(
        d, starts_at, topic="扫码签到的支部党员大会", members=[d.m1, d.m1b, m3, m4]
    )

    screen = open_page("sec1", DESKTOP)
    screen.goto(f"{live_server.url}/meetings/{meeting.code}/")
    screen.get_by_role("link", name="打开扫码签到屏幕").click()
    screen.wait_for_load_state("networkidle", timeout=WAIT)
    assert screen.locator("#checkin-live svg.qr").count() == 1
    snap(screen, shots, "checkin-screen-empty")

    for username in ("member1", "member1b", "member3"):
        url = screen.locator("a.checkin-url").get_attribute("href")  # the code shown now
        assert f"/meetings/{meeting.code}/check-in/?t=" in url
        phone = open_page(None)
        phone.goto(url)
        phone.wait_for_load_state("networkidle", timeout=WAIT)
        assert "/login/" in phone.url  # not signed in yet: the login brings them back
        phone.fill("#id_username", username)
        phone.fill("#id_password", PASSWORD)
        phone.click("button[type=submit].primary")
        phone.wait_for_load_state("networkidle", timeout=WAIT)
        assert "/check-in/" in phone.url
        assert "扫码签到的支部党员大会" in phone.content()
        assert_no_horizontal_scroll(phone)
        phone.get_by_role("button", name="确认签到").click()
        phone.locator(".messages", has_text="签到成功").wait_for(timeout=WAIT)
        assert phone.url.endswith(f"/meetings/{meeting.code}/")
        assert phone.locator("#my-checkin").count() == 1
        assert_no_horizontal_scroll(phone)
        if username == "member1":
            snap(phone, shots, "checkin-phone-done")
        phone.context.close()

    screen.locator("#checkin-signed", has_text="3").wait_for(timeout=WAIT)
    assert "周九" in screen.locator("#checkin-live").inner_text()  # still missing
    snap(screen, shots, "checkin-screen-three")
    assert CheckIn.objects.filter(meeting=meeting).count() == 3

    # the attendance form, prefilled from the sign-ins: 周九 absent, then closed
    screen.goto(f"{live_server.url}/meetings/{meeting.code}/")
    screen.wait_for_load_state("networkidle", timeout=WAIT)
    assert screen.locator("input[name=a-M4][value=absent]").is_checked()
    assert screen.locator("input[name=a-M3][value=present]").is_checked()
    screen.get_by_role("button", name="保存并关闭考勤").click()
    # the dialog shows the deduction the closing records, then closes on 确认
    dialog = screen.locator("dialog#kp-confirm")
    dialog.locator("ul.consequences").wait_for(timeout=WAIT)
    assert "周九" in dialog.inner_text()
    with screen.expect_navigation(timeout=WAIT):
        dialog.locator("[data-confirm-ok]").click()
    screen.wait_for_load_state("networkidle", timeout=WAIT)
    assert "新增 1 条扣分记录" in screen.locator(".kp-toasts").inner_text()
    screen.context.close()
    entry = ScoreEntry.objects.get()
    assert entry.member == m4

    absent = open_page("member4")
    absent.goto(f"{live_server.url}/members/M4/?year={entry.year}")
    absent.wait_for_load_state("networkidle", timeout=WAIT)
    ledger = absent.locator("main").inner_text()
    assert entry.code in ledger and "无故缺席" in ledger and "−2.0" in ledger
    assert_no_horizontal_scroll(absent)
    snap(absent, shots, "checkin-absent-member")
    absent.context.close()
