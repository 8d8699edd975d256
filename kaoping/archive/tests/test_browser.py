"""A secretary imports the branch's roster in a real Chromium (issue #6's journey): one bad
row is reported by row and column and nothing changes; the fixed sheet's preview says who
is new, and its confirmation imports it in a background job whose page reports it."""

import io

import pytest
from openpyxl import Workbook

from kaoping.archive.services import ROSTER_HEADER
from kaoping.orgs.models import Member
from kaoping.testing.browser import (
    MOBILE,
    assert_no_horizontal_scroll,
    log_in,
    new_page,
    snap,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def roster(rows) -> dict:
    book = Workbook()
    book.active.append(ROSTER_HEADER)
    for values in rows:
        book.active.append([values.get(label, "") for label in ROSTER_HEADER])
    out = io.BytesIO()
    book.save(out)
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return {"name": "roster.xlsx", "mimeType": mime, "buffer": out.getvalue()}


def test_secretary_fixes_a_bad_row_and_imports_the_roster(browser, live_server, district, shots):
    page = new_page(browser, live_server, MOBILE)
    log_in(page, live_server, "sec1")
    page.locator("main h2").get_by_role("link", name="第一党支部").click()
    page.wait_for_load_state("networkidle")
    page.click("#archive a:has-text('党员名册')")
    page.wait_for_load_state()
    assert "张三" in page.locator("main").inner_text()
    form = page.locator("form[action$='/roster/import/']")
    new = {"编号": "M9", "姓名": "钱七", "性别": "女", "入党日期": "2020-07-01"}
    form.locator("input[type=file]").set_input_files(
        roster([new, {"编号": "M10", "姓名": "孙八", "出生日期": "1980-13-01"}])
    )
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "未导入任何数据" in page.locator(".error-box").inner_text()
    report = page.locator("table.row-errors tbody tr").first.inner_text()
    assert "3" in report and "出生日期" in report and "1980-13-01" in report
    assert page.locator("button.primary", has_text="确认导入").count() == 0
    assert not Member.objects.filter(code__in=["M9", "M10"]).exists()
    assert_no_horizontal_scroll(page)
    snap(page, shots, "roster-import-error")

    page.go_back()
    page.wait_for_load_state()
    form = page.locator("form[action$='/roster/import/']")
    form.locator("input[type=file]").set_input_files(
        roster([new, {"编号": "M10", "姓名": "孙八", "出生日期": "1980-12-01"}])
    )
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert (
        "钱七" in page.locator("main").inner_text()
        and "新增 2 名" in page.locator("main").inner_text()
    )
    snap(page, shots, "roster-import-preview")
    page.click("button.primary:has-text('确认导入 2 行')")
    page.wait_for_load_state()
    assert "已导入 2 名党员" in page.locator("#job-status").inner_text()  # the job's page
    page.goto(f"{live_server.url}/branches/B1/roster/")
    assert "钱七" in page.locator("main").inner_text()  # on the roster, listed
    assert set(
        Member.objects.filter(code__in=["M9", "M10"]).values_list("branch__code", flat=True)
    ) == {"B1"}
    snap(page, shots, "roster-import-done")
    assert (shots / "roster-import-done.png").exists()
