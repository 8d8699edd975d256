"""The pages in a real Chromium (Playwright, sync API) against pytest-django's live server."""

import datetime
import re

import pytest

from kaoping.evaluation.services import tally_set
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import entry_record, entry_reverse
from kaoping.schemes.models import SchemeItem
from kaoping.testing.browser import assert_no_horizontal_scroll, snap

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def composite_of(page, name: str) -> str:
    row = page.locator("table.results tbody tr", has_text=name)
    return row.locator("td.composite").inner_text().strip()


def test_secretary_records_and_reverses_a_deduction(open_page, live_server, district, shots):
    page = open_page("sec1")
    assert page.url.endswith("/work/")  # the workbench, then the branch from its card
    page.locator("main h2").get_by_role("link", name="第一党支部").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/branches/B1/")
    assert page.locator("h1").inner_text() == "第一党支部"
    assert composite_of(page, "张三") == "70.0"
    assert_no_horizontal_scroll(page)
    snap(page, shots, "branch-before")

    page.select_option("#id_member", label="张三（M1）")
    page.select_option("#id_item", value=str(SchemeItem.objects.get(code="D07").pk))
    page.fill("#id_date", "2026-05-06")
    page.fill("#id_occurrences", "1")
    page.fill("#id_note", "履职失误，经组织确认")
    page.click("#record button[type=submit]")
    page.wait_for_load_state()
    assert "已为 张三 记录" in page.locator(".messages").inner_text()
    assert composite_of(page, "张三") == "67.0"
    entry = ScoreEntry.objects.get()
    assert entry.recorded_by.username == "sec1"
    assert_no_horizontal_scroll(page)
    snap(page, shots, "branch-recorded")

    # the reverse form opens inline (htmx) and needs a reason
    page.click(f"#record ~ section a.action[href*='{entry.code}']")
    form = page.locator(f"#slot-{entry.code} form")
    form.wait_for()
    snap(page, shots, "branch-reverse-form")
    form.locator("textarea[name=reason]").fill("录入对象有误")
    form.locator("button[type=submit]").click()
    # the dialog shows what reversing does (the server's confirmation step) before it
    dialog = page.locator("dialog#kp-confirm")
    dialog.locator("ul.consequences").wait_for()
    assert "−3.0 分" in dialog.inner_text() and not ScoreEntry.objects.filter(reverses=entry)
    dialog.locator("[data-confirm-ok]").click()
    page.locator(".messages", has_text="已冲销记录").wait_for()
    assert re.search(r"/branches/B1/", page.url)
    assert f"已冲销记录 {entry.code}" in page.locator(".messages").inner_text()
    assert composite_of(page, "张三") == "70.0"
    reversal = ScoreEntry.objects.get(reverses=entry)
    assert reversal.note == "录入对象有误"
    assert page.locator("tr.entry.reversed").count() == 1
    assert "录入对象有误" in page.locator("tr.entry.reversal").inner_text()
    assert_no_horizontal_scroll(page)
    snap(page, shots, "branch-reversed")


def test_member_sees_own_score_on_a_phone(open_page, live_server, district, shots):
    item = {i.code: i for i in SchemeItem.objects.filter(scheme=district.scheme)}
    first = entry_record(
        actor=None,
        member=district.m1,
        item=item["D01"],
        date=datetime.date(2026, 3, 2),
        note="三月主题党日无故缺席",
    )
    entry_record(
        actor=None,
        member=district.m1,
        item=item["B03"],
        date=datetime.date(2026, 4, 12),
        occurrences=4,
        note="社区志愿服务",
        evidence="服务记录四次",
    )
    entry_reverse(actor=None, entry=first, reason="已补假条，属因公请假")
    entry_record(actor=None, member=district.m1, item=item["D08"], date=datetime.date(2026, 6, 3))
    tally_set(actor=None, year=2026, member=district.m1, counts={"excellent": 8, "qualified": 2})

    page = open_page("member1")
    assert page.url.endswith("/work/")  # the workbench shows the standing first
    page.get_by_role("link", name="查看我的评分台账").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/me/")
    text = page.locator("main").inner_text()
    assert "张三" in text and "评分台账" in text and "综合得分" in text
    # 70 − 0.5 + 2 = 71.5 daily; 96% × 0.3 = 28.8; composite 100.3
    assert "71.5" in text and "96.00%" in text and "100.3" in text
    assert "社区志愿服务" in text and "已补假条，属因公请假" in text
    assert page.locator("li.entry.reversed").count() == 1
    assert_no_horizontal_scroll(page)
    snap(page, shots, "member-me")

    # the language switch works without leaving the page
    page.select_option("#lang", "en")
    page.wait_for_load_state()
    page.locator("h2", has_text="Score ledger").wait_for()
    assert_no_horizontal_scroll(page)
    snap(page, shots, "member-me-en")


def test_committee_pages_fit_a_phone(open_page, live_server, district, shots):
    page = open_page("admin")
    assert page.url.endswith("/work/")
    for name, path in (
        ("overview", "/overview/"),
        ("schemes", "/schemes/"),
        ("scheme-2026", "/schemes/2026/"),
        ("branch-admin", "/branches/B1/"),
        ("not-found", "/members/NOPE/"),
    ):
        page.goto(f"{live_server.url}{path}")
        assert_no_horizontal_scroll(page)
        snap(page, shots, name)
    assert "页面不存在" in page.locator("main").inner_text()
