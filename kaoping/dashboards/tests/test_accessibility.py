"""Accessibility in a real Chromium: axe-core (vendored in web/static/vendor/axe) runs on
the main pages as the users who see them, at 375 px wide; no "serious" or "critical"
violation may remain, and no page may scroll sideways. Skipped without Debian's chromium
unless KAOPING_REQUIRE_BROWSER=1 (as in kaoping/web/tests/test_browser.py)."""

import datetime
import os

import pytest

from kaoping.ledger.services import entry_record
from kaoping.schemes.models import SchemeItem

PASSWORD = "pass-for-tests-1"
MOBILE = {"width": 375, "height": 800}
BLOCKING = ("serious", "critical")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    None: ["/login/"],
    "member1": ["/me/", "/dash/me/", "/dash/members/M1/ledger/print/?year=2026"],
    "sec1": [
        "/branches/B1/",
        "/dash/branches/B1/",
        "/dash/branches/B1/report/print/?year=2026",
        "/members/M1/",
    ],
    "admin": ["/overview/", "/dash/committee/", "/schemes/2026/"],
}


def axe_violations(page) -> list[str]:
    page.add_script_tag(url="/static/vendor/axe/axe.min.js")
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = []
    for v in results["violations"]:
        if v["impact"] in BLOCKING:
            targets = [" ".join(n["target"]) for n in v["nodes"][:5]]
            found.append(f"{v['impact']} {v['id']}: {v['help']} at {targets}")
    return found


def test_main_pages_have_no_serious_accessibility_violations(browser, live_server, district):
    items = {i.code: i for i in SchemeItem.objects.filter(scheme=district.scheme)}
    for code, date in (("D01", (3, 2)), ("D03", (5, 9)), ("B01", (6, 1))):
        entry_record(
            actor=None, member=district.m1, item=items[code], date=datetime.date(2026, *date)
        )
    problems: dict[str, list[str]] = {}
    shots = os.environ.get("KAOPING_SCREENSHOT_DIR")  # to look at the pages
    for user, paths in PAGES.items():
        context = browser.new_context(viewport=MOBILE, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        if user is not None:
            page.goto(f"{live_server.url}/login/")
            page.fill("#id_username", user)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit].primary")
            page.wait_for_load_state()
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (path, response.status)
            widths = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if widths[0] > widths[1]:
                problems.setdefault(path, []).append(f"scrolls sideways at 375 px: {widths}")
            if shots:
                name = path.strip("/").replace("/", "-").replace("?", "-") or "root"
                page.screenshot(path=f"{shots}/{user}-{name}.png", full_page=True)
            found = axe_violations(page)
            if found:
                problems.setdefault(path, []).extend(found)
        context.close()
    assert not problems, "\n".join(f"{p}: {v}" for p, vs in problems.items() for v in vs)


def _log_in(browser, live_server, user: str):
    context = browser.new_context(viewport={"width": 1000, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    return page


def test_print_pages_are_a4_without_navigation(browser, live_server, district):
    import re

    page = _log_in(browser, live_server, "sec1")
    for path in (
        "/dash/branches/B1/report/print/?year=2026",
        "/dash/members/M1/ledger/print/?year=2026",
        "/dash/branches/B1/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.emulate_media(media="print")
        assert page.locator("nav.main, .noprint, .year-picker").evaluate_all(
            "nodes => nodes.every(n => getComputedStyle(n).display === 'none')"
        ), path
        pdf = page.pdf(prefer_css_page_size=True)
        box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
        width, height = float(box.group(1)), float(box.group(2))
        assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2, (path, width, height)  # A4
        page.emulate_media(media="screen")
    page.context.close()
