"""The case pages in a real Chromium at 375 px: no sideways scrolling, the branch's
candidates, a proposal from a candidate, the case file and its print view."""

import pytest

from kaoping.scoring.models import GradeRecord
from kaoping.testing.browser import assert_no_horizontal_scroll, snap
from kaoping.unqualified.models import UnqualifiedCase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_proposes_from_a_candidate_on_a_phone(open_page, live_server, district, shots):
    d = district
    GradeRecord.objects.create(member=d.m1, year=2025, grade="warning")
    GradeRecord.objects.create(member=d.m1, year=2026, grade="warning")
    page = open_page("sec1")
    page.goto(f"{live_server.url}/branches/B1/")
    page.locator("#unqualified", has_text="系统提示候选人 1 名").wait_for()
    page.goto(f"{live_server.url}/branches/B1/unqualified/")
    assert "2025 年度：警示党员" in page.content()
    assert_no_horizontal_scroll(page)
    snap(page, shots, "unqualified-branch")
    page.click("button[value=propose]")
    page.wait_for_load_state()
    case = UnqualifiedCase.objects.get()
    assert page.url.endswith(f"/unqualified/{case.code}/")
    assert "预审中" in page.locator(".page-head").inner_text()
    assert_no_horizontal_scroll(page)
    snap(page, shots, "unqualified-case")
    page.goto(f"{live_server.url}/unqualified/{case.code}/print/")
    assert "第一党支部 · 2026 年度" in page.locator("th.running").inner_text()
    assert_no_horizontal_scroll(page)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
