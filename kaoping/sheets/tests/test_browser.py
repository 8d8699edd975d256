"""A secretary imports score entries in a real Chromium: one bad row is reported by row and
column and nothing is stored; the fixed sheet imports through a background job."""

import pytest

from kaoping.ledger.models import ScoreEntry
from kaoping.testing.browser import assert_no_horizontal_scroll, refused_import_row, snap, upload
from kaoping.testing.sheets import ENTRY_HEADER, xlsx_for_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FORM = "#entries-import"


def sheet(rows) -> dict:
    return xlsx_for_browser(ENTRY_HEADER, rows, "entries.xlsx")


def test_secretary_fixes_a_bad_row_and_imports_entries(open_page, live_server, district, shots):
    page = open_page("sec1")
    assert page.url.endswith("/work/")
    page.locator("main h2").get_by_role("link", name="第一党支部").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/branches/B1/")
    upload(
        page,
        FORM,
        sheet(
            [["M1", "D07", "2026-03-02", 1, "迟到", ""], ["M1B", "D99", "2026-03-03", 1, "", ""]]
        ),
    )
    report = refused_import_row(page)
    assert "3" in report and "指标代码" in report and "D99" in report
    assert page.locator("td.cell-error").count() == 1
    assert page.locator("button.primary", has_text="确认导入").count() == 0
    assert not ScoreEntry.objects.exists()
    assert_no_horizontal_scroll(page)
    snap(page, shots, "entries-import-error")

    page.go_back()
    page.wait_for_load_state()
    upload(
        page,
        FORM,
        sheet(
            [["M1", "D07", "2026-03-02", 1, "迟到", ""], ["M1B", "D07", "2026-03-03", 2, "", ""]]
        ),
    )
    assert "共 2 行数据" in page.locator("main").inner_text()
    snap(page, shots, "entries-import-preview")
    page.click("button.primary:has-text('确认导入 2 行')")
    page.wait_for_load_state()
    page.locator(".job-state.done").wait_for()
    assert "已导入 2 条加扣分记录" in page.locator("#job-status").inner_text()
    assert page.locator("progress.job").get_attribute("value") == "100"
    assert ScoreEntry.objects.filter(source="sheet").count() == 2
    assert_no_horizontal_scroll(page)
    snap(page, shots, "entries-import-done")
    assert (shots / "entries-import-done.png").exists()
