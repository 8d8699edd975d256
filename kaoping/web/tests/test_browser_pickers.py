"""The searchable pickers in a real Chromium (issue 19 item 3): the member picker of the
branch page filters its options as one types, a choice lands in the form's select, the item
picker shows its groups, and nothing breaks the strict CSP."""

import pytest

from kaoping.testing.browser import (
    PASSWORD,
    log_in,
    new_page,
)
from kaoping.testing.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 900}


def test_the_member_picker_filters_by_typing(browser, live_server, district):
    d = district
    for n, name in enumerate(("李明", "王芳", "陈静", "刘洋", "赵磊")):
        MemberFactory(code=f"M9{n}", name=name, branch=d.b1)
    d.sec1.set_password(PASSWORD)
    d.sec1.save()
    page = new_page(browser, live_server, DESKTOP)
    page.set_default_timeout(60_000)  # a loaded machine
    log_in(page, live_server, "sec1")
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(f"{live_server.url}/branches/B1/")
    page.wait_for_load_state("networkidle")
    select = page.locator("#id_member")
    assert select.get_attribute("data-picker") == ""
    control = page.locator("#id_member-ts-control")  # Tom Select's search box
    control.click()
    options = page.locator("#id_member-ts-dropdown .option")
    options.first.wait_for()
    assert options.count() == 7  # everyone of the branch on the roll
    control.press_sequentially("李")
    page.wait_for_function(
        "() => document.querySelectorAll('#id_member-ts-dropdown .option').length === 2"
    )
    names = sorted(options.all_inner_texts())
    assert names == ["李四（M1B）", "李明（M90）"]
    control.press_sequentially("明")
    page.wait_for_function(
        "() => document.querySelectorAll('#id_member-ts-dropdown .option').length === 1"
    )
    page.keyboard.press("Enter")
    assert select.input_value() == str(d.b1.members.get(code="M90").pk)

    # the item picker offers its items under their groups
    page.locator("#id_item-ts-control").click()
    headers = page.locator("#id_item-ts-dropdown .optgroup-header")
    headers.first.wait_for()  # the dropdown opens after the click, not with it
    groups = headers.all_inner_texts()
    assert "扣分 · 履行党员基本义务" in groups and any(g.startswith("加分") for g in groups)
    page.keyboard.press("Escape")
    assert not violations, violations
    page.context.close()
