"""Server-side tables in a real Chromium: on a phone each ledger row is a card whose cells
name their column; on a desktop the header stays in view; sorting and paging swap the
table (htmx) and keep the URL."""

import pytest

from kaoping.testing.browser import MOBILE, assert_no_horizontal_scroll, snap
from kaoping.testing.factories import b1_ledger

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 800}


def _entries(district, n):
    b1_ledger(
        district, n, note=lambda i: "一段较长的说明，用来检查在手机上换行而不撑宽页面" * (i % 2)
    )


def test_the_ledger_is_cards_with_labels_on_a_phone(open_page, live_server, district, shots):
    _entries(district, 30)
    page = open_page("sec1", MOBILE)
    page.goto(f"{live_server.url}/branches/B1/?year=2026")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#entries-table tbody tr")
    assert rows.count() == 25
    first = rows.first
    assert first.evaluate("tr => getComputedStyle(tr).display") == "block"
    cells = first.locator("td")
    labels = cells.evaluate_all(
        "tds => tds.map(td => [td.dataset.label,"
        " getComputedStyle(td, '::before').content, getComputedStyle(td).display])"
    )
    assert [label for label, _, _ in labels][:7] == [
        "日期",
        "党员",
        "考评项目",
        "分值",
        "来源",
        "录入",
        "编号",
    ]
    for label, before, display in labels:
        assert before == f'"{label}"' and display == "block"
    # the header row is kept for screen readers, out of sight
    thead = page.locator("#entries-table thead")
    assert thead.evaluate("t => t.getBoundingClientRect().height") <= 1
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
    assert_no_horizontal_scroll(page)
    snap(page, shots, "tables-ledger-phone")


def test_sorting_and_paging_swap_the_table_and_keep_the_url(
    open_page, live_server, district, shots
):
    _entries(district, 30)
    page = open_page("sec1", DESKTOP)
    page.goto(f"{live_server.url}/branches/B1/?year=2026")
    page.wait_for_load_state("networkidle")
    head = page.locator("#entries-table thead th").first
    assert head.evaluate("th => getComputedStyle(th).position") == "sticky"
    page.locator("#entries-table thead a.kp-sort", has_text="日期").click()
    page.wait_for_url("**entries_sort=date**")
    page.wait_for_load_state("networkidle")
    assert "2026-01-01" in page.locator("#entries-table tbody tr").first.inner_text()
    page.locator("#entries-table .kp-pager a[rel=next]").click()
    page.wait_for_url("**entries_page=2**")
    page.wait_for_load_state("networkidle")
    assert page.locator("#entries-table tbody tr").count() == 5
    assert "2026-01-26" in page.locator("#entries-table tbody tr").first.inner_text()
    # with JavaScript the 查询 button is hidden: Enter submits the search
    assert page.locator("#entries-table .kp-table-tools [data-table-submit]").is_hidden()
    page.fill("#entries-table input[type=search]", "李四")
    page.press("#entries-table input[type=search]", "Enter")
    page.wait_for_url("**entries_q=**")
    page.wait_for_load_state("networkidle")
    assert page.locator("#entries-table tbody tr").count() == 15
    assert page.locator("h1").count() == 1  # the swap did not nest a page in the page
    snap(page, shots, "tables-ledger-desktop")


def test_a_changed_filter_submits_itself(open_page, live_server, district):
    """The filter selects need no 查询 click: a change swaps the table (htmx) and keeps
    the choice in the URL; the page size too."""
    _entries(district, 30)
    page = open_page("sec1", DESKTOP)
    page.goto(f"{live_server.url}/branches/B1/?year=2026")
    page.wait_for_load_state("networkidle")
    page.select_option("#entries-table select[name=entries_kind]", "bonus")
    page.wait_for_url("**entries_kind=bonus**", timeout=15_000)
    page.wait_for_load_state("networkidle")
    rows = page.locator("#entries-table tbody tr")
    assert rows.count() == 10  # B01, every third of the 30
    assert page.locator("h1").count() == 1
    # the swapped-in form submits itself too
    page.select_option("#entries-table select[name=entries_size]", "50")
    page.wait_for_url("**entries_size=50**", timeout=15_000)
    page.wait_for_load_state("networkidle")
    assert "entries_kind=bonus" in page.url
    assert page.locator("#entries-table select[name=entries_kind]").input_value() == "bonus"
