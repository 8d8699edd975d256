"""Each role walks its workbench and every page of its side menu in a real Chromium, at a
desktop's 1280 px and a phone's 375 px (issue 19), saving a screenshot of each page
(``tmp_path``, or ``KAOPING_SCREENSHOT_DIR`` to keep them: docs/ui.md's pictures).

On every page: one site header and one ``h1``, no sideways scrolling, no chart label outside
its chart (each SVG text box within its SVG), and no serious or critical axe-core violation
(axe-core 4.12, bundled by axe-playwright-python, injected through the DevTools protocol so
the page's CSP stays as it is)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from kaoping.ledger.services import entry_record
from kaoping.schemes.models import SchemeItem
from kaoping.scoring.services import results_compute
from kaoping.testing.browser import (
    assert_no_horizontal_scroll,
    signed_in_page,
    snap,
)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
ROLES = ("member1", "sec1", "admin", "orgdept", "supervisor")
# Pages that a menu links but that are not a place to look at: a file, the admin site.
# The big screen is laid out for a meeting room's 1920×1080 and has no site header: it
# has its own walk below.
NOT_WALKED = ("/admin/", "/logout/", ".xlsx", ".pdf", ".docx", ".csv", "/dash/screen/")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Text boxes of every rendered SVG that stick out of it by more than a pixel.
CLIPPED_LABELS = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg')) {
    const box = svg.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    for (const text of svg.querySelectorAll('text')) {
      const r = text.getBoundingClientRect();
      if (r.width === 0 || !text.textContent.trim()) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 ||
          r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        out.push(text.textContent.trim());
      }
    }
  }
  return out;
}"""

MENU_LINKS = """() => [...document.querySelectorAll('nav.main a[href]')]
  .map(a => a.getAttribute('href'))"""


@pytest.fixture
def walked_district(district):
    """The test district with a few entries and computed results, so lists and charts
    have something to show."""
    item = {i.code: i for i in SchemeItem.objects.filter(scheme=district.scheme)}
    for member, code in ((district.m1, "D01"), (district.m2, "D01"), (district.m1, "B03")):
        entry_record(actor=None, member=member, item=item[code], date=datetime.date(2026, 3, 2))
    results_compute(actor=None, year=2026)
    return district


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def check_page(page, shots, name: str) -> None:
    errors = getattr(page, "kp_errors", [])
    assert not errors, f"{name}: script errors: {errors}"
    assert page.locator("header.site").count() == 1, f"{name}: not one site header"
    assert page.locator("h1").count() == 1, f"{name}: not one h1"
    assert_no_horizontal_scroll(page)
    clipped = page.evaluate(CLIPPED_LABELS)
    assert not clipped, f"{name}: chart labels outside their chart: {clipped[:5]}"
    problems = serious_violations(page)
    assert not problems, f"{name}: " + "; ".join(problems)
    snap(page, shots, name)


def menu_paths(page) -> list[str]:
    paths = []
    for href in page.evaluate(MENU_LINKS):
        path = urlsplit(href).path
        if path and not any(part in path for part in NOT_WALKED) and path not in paths:
            paths.append(path)
    return paths


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("username", ROLES)
def test_each_role_walks_its_menu(browser, live_server, walked_district, shots, username, viewport):
    user = getattr(walked_district, username)
    page = signed_in_page(browser, live_server, user, viewport)
    page.kp_errors = []  # uncaught script errors and CSP refusals, reported by check_page
    page.on("pageerror", lambda error: page.kp_errors.append(str(error)))
    page.on(
        "console",
        lambda m: m.type == "error" and page.kp_errors.append(m.text),
    )
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == "/work/", page.url
    size = "desktop" if viewport is DESKTOP else "phone"
    check_page(page, shots, f"walk-{username}-{size}-work")
    paths = menu_paths(page)
    assert paths, "the side menu links nothing"
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert response is not None and response.status == 200, (path, response and response.status)
        check_page(page, shots, f"walk-{username}-{size}{path.rstrip('/').replace('/', '-')}")
    page.context.close()


def test_the_big_screen_passes_axe_at_its_own_size(browser, live_server, walked_district, shots):
    page = signed_in_page(
        browser, live_server, walked_district.admin, {"width": 1920, "height": 1080}
    )
    page.goto(f"{live_server.url}/dash/screen/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1
    assert_no_horizontal_scroll(page)
    assert not page.evaluate(CLIPPED_LABELS)
    assert not serious_violations(page)
    snap(page, shots, "walk-admin-screen")
    page.context.close()


def test_the_walk_sees_a_score_it_was_given(walked_district):
    """The walk's data is not empty: the entries it records reach the results."""
    from kaoping.scoring.models import MemberResult

    result = MemberResult.objects.get(member=walked_district.m2, year=2026)
    assert result.daily < Decimal("70")
