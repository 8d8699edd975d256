"""The sealed vote in a real Chromium (issue 17): the secretary opens the vote on the
meeting room's screen and names three scrutineers, whose shares are shown once; members
vote on their phones, with their logins or with meeting-room codes, get a receipt and find
it in the ballot box; the secretary closes the vote, two scrutineers type their shares on
the secretary's screen, the totals appear; a member recounts on their phone."""

import re

import pytest

from kaoping.evaluation.models import EvaluationRound, SealedBallot, VoteTally
from kaoping.evaluation.services import round_advance, round_open
from kaoping.testing.browser import assert_no_horizontal_scroll, snap

from .support import any_turnout, branch_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SCREEN = {"width": 1280, "height": 900}


def go(page, target) -> None:
    """Click a link or a submit button (a selector or a locator) and wait for the next
    page to load (not the current one's load state)."""
    with page.expect_navigation():
        if isinstance(target, str):
            page.click(target)
        else:
            target.click()


def totals_of(result, code: str) -> dict[str, str]:
    """One member's row of the count's totals, by the column's label."""
    labels = result.locator("thead th").all_inner_texts()[1:]
    cells = result.locator("tbody tr", has_text=code).locator("td").all_inner_texts()
    assert cells[0] == code
    return dict(zip(labels, cells[1:], strict=True))


def fill_ballot(page, marks: dict[str, str]) -> None:
    for code, option in marks.items():
        page.check(f"input[name='m:{code}'][value='{option}']")


def receipts_fit(page, wide: list) -> None:
    """A page showing whole receipts (64 hex digits) on a phone: one that scrolls sideways
    is noted, and the journey fails at its end if any did."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if widths[0] > widths[1]:
        wide.append(f"{page.url.split('/', 3)[3]}: {widths[0]}px")


def receipt_shown(page) -> str:
    receipt = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", receipt), receipt
    return receipt


def vote_with_login(open_page, live_server, shots, username: str, marks, name: str, wide) -> str:
    page = open_page(username, PHONE)
    page.goto(f"{live_server.url}/eval/2026/mine/")
    go(page, page.locator("#vote a", has_text="去投票"))
    assert_no_horizontal_scroll(page)
    fill_ballot(page, marks)
    snap(page, shots, f"vote-{name}-1-ballot")
    go(page, "form button[type=submit].primary")
    receipt = receipt_shown(page)
    receipts_fit(page, wide)
    snap(page, shots, f"vote-{name}-2-receipt")
    # The receipt is in the ballot box, during the vote.
    page.goto(f"{live_server.url}/eval/B1/2026/box/")
    assert "投票箱中的选票回执" in page.locator("#box").inner_text()
    assert page.locator("ol.receipts code", has_text=receipt).count() == 1
    receipts_fit(page, wide)
    snap(page, shots, f"vote-{name}-3-box")
    page.context.close()
    return receipt


def vote_with_code(open_page, live_server, shots, code: str, marks, name: str) -> str:
    page = open_page(None, PHONE)  # no login: the code is the right
    page.goto(f"{live_server.url}/vote/code/")
    page.fill("input[name=code]", code)
    go(page, "form button[type=submit].primary")
    fill_ballot(page, marks)
    assert_no_horizontal_scroll(page)
    snap(page, shots, f"vote-{name}-1-ballot")
    go(page, "form button[type=submit].primary")
    receipt = receipt_shown(page)
    snap(page, shots, f"vote-{name}-2-receipt")
    page.goto(f"{live_server.url}/vote/receipt/")
    page.fill("input[name=code]", receipt[:16])
    go(page, "form button[type=submit].primary")
    assert "选票在投票箱中，尚未计票" in page.locator("#receipt-result").inner_text()
    assert_no_horizontal_scroll(page)
    snap(page, shots, f"vote-{name}-3-checked")
    page.context.close()
    return receipt


def test_meeting_room_vote_on_phones_and_counting_on_the_secretarys_screen(
    open_page, live_server, district, shots
):
    members = branch_of(district, 6)  # B1-00..B1-03, M1, M1B, each with a login
    wide: list[str] = []  # receipt pages that scroll sideways on a phone
    codes = [m.code for m in members]
    any_turnout()
    round_ = round_open(actor=district.sec1, branch=district.b1, year=2026)
    for _ in range(2):
        round_ = round_advance(actor=district.sec1, round_=round_)
    assert round_.step == EvaluationRound.Step.SECRETARY

    # The secretary opens the vote on the meeting room's screen: three scrutineers.
    screen = open_page("sec1", SCREEN)
    screen.goto(f"{live_server.url}/eval/B1/2026/")
    go(screen, "#vote-open")
    scrutineers = members[:3]
    for m in scrutineers:
        screen.check(f"input[name=scrutineers][value='{m.pk}']")
    snap(screen, shots, "count-1-scrutineers")
    go(screen, "#confirm button[type=submit].primary")
    shares = {p: screen.locator(f"#share-{p}").inner_text().strip() for p in (1, 2, 3)}
    assert all(shares.values()) and len(set(shares.values())) == 3
    assert "只显示这一次" in screen.locator("#shares").inner_text()
    # The print button works under the Content-Security-Policy (no inline script).
    screen.evaluate("() => { window.print = () => { window.printed = true; }; }")
    screen.locator("#shares button", has_text="打印份额条").click()
    assert screen.evaluate("() => window.printed === true"), "the print button does nothing"
    assert_no_horizontal_scroll(screen)
    snap(screen, shots, "count-2-shares")
    # Nothing of a share is in the page once it is left.
    screen.goto(f"{live_server.url}/eval/B1/2026/")
    assert not any(s in screen.content() for s in shares.values())
    assert screen.locator("#vote-state").inner_text() == "投票中"

    # Two members present get meeting-room codes.
    screen.locator("#turnout details summary").click()
    for m in members[4:6]:
        screen.check(f"input[name=members][value='{m.pk}']")
    go(screen, "#turnout details button[type=submit]")
    room_codes = [c.strip() for c in screen.locator("ul.codes code").all_inner_texts()]
    assert len(room_codes) == 2
    snap(screen, shots, "count-3-room-codes")

    # Members vote on their phones: two with their logins, two with the codes.
    everyone_excellent = dict.fromkeys(codes, "excellent")
    ballots = [
        everyone_excellent,
        {**everyone_excellent, codes[0]: "qualified"},
        {**everyone_excellent, codes[0]: "basic", codes[1]: "qualified"},
        {codes[0]: "excellent"},  # the others left blank
    ]
    receipts = [
        vote_with_login(open_page, live_server, shots, "voter00", ballots[0], "login-1", wide),
        vote_with_login(open_page, live_server, shots, "voter03", ballots[1], "login-2", wide),
        vote_with_code(open_page, live_server, shots, room_codes[0], ballots[2], "code-1"),
        vote_with_code(open_page, live_server, shots, room_codes[1], ballots[3], "code-2"),
    ]
    assert SealedBallot.objects.count() == 4
    assert set(SealedBallot.objects.values_list("receipt", flat=True)) == set(receipts)

    # The secretary closes the vote (confirmed) ...
    screen.goto(f"{live_server.url}/eval/B1/2026/")
    screen.click("form[action$='/do/close/'] button[type=submit]")
    screen.locator("#kp-confirm ul.consequences").wait_for()
    go(screen, "#kp-confirm [data-confirm-ok]")
    assert screen.locator("#vote-state").inner_text() == "已截止"
    # ... and two of the three scrutineers type their shares on the same screen.
    go(screen, "#count-link")
    assert "投票箱中有选票 4 张" in screen.locator("#count").inner_text()
    screen.fill("input[name=share_1]", shares[1])
    screen.fill("input[name=share_3]", shares[3].lower().replace("-", " "))
    snap(screen, shots, "count-4-shares-typed")
    go(screen, "#count button[type=submit].primary")
    assert screen.url.endswith("/eval/B1/2026/box/")
    result = screen.locator("#count-result")
    assert "选票 4 张，其中无效票 0 张" in result.inner_text()
    took_part = set(result.locator(".counted-by").all_inner_texts())
    assert took_part == {scrutineers[0].name, scrutineers[2].name}
    assert totals_of(result, codes[0]) == {"优秀": "2", "合格": "1", "基本合格": "1", "不合格": "0"}
    assert totals_of(result, codes[1]) == {"优秀": "2", "合格": "1", "基本合格": "0", "不合格": "0"}
    assert not SealedBallot.objects.exists() and not VoteTally.objects.exists()
    assert_no_horizontal_scroll(screen)
    snap(screen, shots, "count-5-totals")
    screen.context.close()

    # A member checks on their phone that the count covered their ballot, and recounts.
    phone = open_page("voter00", PHONE)
    phone.goto(f"{live_server.url}/eval/B1/2026/box/")
    assert "计票已包括的选票回执（4）" in phone.locator("#box").inner_text()
    assert phone.locator("ol.receipts code", has_text=receipts[0]).count() == 1
    go(phone, "#count-result form button[type=submit]")
    assert "与计票记录和已公布的票数一致" in phone.locator("#recount-result").inner_text()
    receipts_fit(phone, wide)
    snap(phone, shots, "count-6-recount")
    phone.goto(f"{live_server.url}/vote/receipt/")
    phone.fill("input[name=code]", receipts[2])
    go(phone, "form button[type=submit].primary")
    assert "已计票，选票已计入" in phone.locator("#receipt-result").inner_text()
    snap(phone, shots, "count-7-receipt-counted")
    assert not wide, f"the 64-hex receipt scrolls the page sideways on a 390px phone: {wide}"
