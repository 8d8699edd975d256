"""The side menu and the workbench in a real Chromium, at 1280 and 375 px: the menu is
beside the page on a desktop and a drawer on a phone (opened without JavaScript too),
nothing scrolls sideways, and each page has one header."""

import pytest

from kaoping.testing.browser import DESKTOP, MOBILE, assert_no_horizontal_scroll
from kaoping.workbench.tests.test_workbench import _work_for_b1

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False])
def test_the_secretary_reaches_the_work_from_the_menu_on_a_phone(
    open_page,
    live_server,
    district,
    shots,
    javascript,
):
    from playwright.sync_api import expect

    d = district
    _work_for_b1(d)
    page = open_page("sec1", java_script_enabled=javascript)
    page.goto(f"{live_server.url}/work/")
    assert page.locator("header").count() == 1
    menu = page.locator(".kp-side")
    assert not menu.is_visible() or menu.bounding_box()["x"] < 0
    page.click("label.kp-drawer-button")
    # the drawer slides in (0.2 s): wait for it to arrive, not for a fixed time, which a
    # busy machine can outlast (a retrying check: it needs no page script)
    expect(menu).to_have_css("transform", "none")
    assert menu.bounding_box()["x"] == 0
    assert page.locator(".kp-side nav.main").get_by_text("加分审核").is_visible()
    page.screenshot(path=str(shots / f"menu-phone-js{int(javascript)}.png"))
    page.click("label.kp-drawer-close")
    menu.wait_for(state="hidden")  # slid out, its visibility hidden at the end
    page.get_by_role("link", name="加分申报待审核 1").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/branches/B1/claims/")
    assert_no_horizontal_scroll(page)
    page.context.close()


def test_the_menu_is_beside_the_page_on_a_desktop_and_marks_the_current_page(
    open_page,
    live_server,
    district,
    shots,
):
    page = open_page("sec1", DESKTOP)
    page.goto(f"{live_server.url}/work/")
    side = page.locator(".kp-side").bounding_box()
    main = page.locator("main").bounding_box()
    assert side["x"] == 0 and main["x"] >= side["width"]
    page.locator(".kp-side").get_by_role("link", name="会议").click()
    page.wait_for_load_state("networkidle")
    current = page.locator('.kp-side a[aria-current="page"]')
    assert current.inner_text() == "会议"
    page.goto(f"{live_server.url}/work/", wait_until="networkidle")
    page.screenshot(path=str(shots / "workbench-desktop.png"), full_page=True)
    assert_no_horizontal_scroll(page)
    assert page.locator("header").count() == 1


def test_a_member_on_a_phone_has_the_everyday_tab_bar(
    open_page,
    live_server,
    district,
    shots,
):
    member = district.member1
    page = open_page(member.username, MOBILE)
    page.goto(f"{live_server.url}/me/", wait_until="networkidle")
    bar = page.locator("nav.kp-tabbar")
    assert bar.is_visible()
    assert bar.locator("a").all_inner_texts() == ["我的", "会议", "申报", "评议", "通知"]
    assert bar.locator('a[aria-current="page"]').inner_text() == "我的"
    box = bar.bounding_box()
    assert box["y"] + box["height"] == MOBILE["height"]
    page.screenshot(path=str(shots / "tabbar-phone.png"))
    bar.get_by_text("评议").click()
    page.wait_for_load_state("networkidle")
    assert "/eval/" in page.url
    assert_no_horizontal_scroll(page)
    desktop = open_page(member.username, DESKTOP)
    desktop.goto(f"{live_server.url}/me/", wait_until="networkidle")
    assert not desktop.locator("nav.kp-tabbar").is_visible()
