"""Every htmx form of the district's pages, submitted once in a real Chromium: the page has
exactly one site header afterwards (issue 15, item 18: an appeal, a secretary comment with
an error and a peer comment painted a whole page, header and menu, inside the page)."""

import datetime

import pytest
from django.utils import timezone

from kaoping.evaluation.services import round_advance, round_open
from kaoping.ledger.services import entry_record
from kaoping.publication.models import Publication
from kaoping.testing.browser import log_in
from kaoping.testing.browser import new_page as _new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 900}
HTMX_FORMS = ("form[hx-post]", "form[hx-put]", "form[hx-patch]", "form[hx-delete]")
HTMX_FORM = ", ".join(HTMX_FORMS)
# links that load a form into the page (not the panels loaded on page load)
FORM_LINK = "a[hx-get][hx-target]"


def new_page(browser, live_server, viewport):
    page = _new_page(browser, live_server, viewport)
    page.set_default_timeout(60_000)  # a page walk on a loaded machine
    return page


@pytest.fixture
def year_in_progress(district):
    """B1 with an entry, a round at its peer comments and a notice period (appeals open)."""
    d = district
    entry_record(
        actor=d.sec1,
        member=d.m1,
        item=d.scheme.items.get(code="D07"),
        date=datetime.date(2026, 5, 6),
        occurrences=1,
        note="浏览器测试",
    )
    round_ = round_open(actor=d.sec1, branch=d.b1, year=2026)
    round_advance(actor=d.sec1, round_=round_)  # to the peer comments
    Publication.objects.create(
        year=2026, branch=d.b1, notice_until=timezone.now() + datetime.timedelta(days=5)
    )
    return d


def _settled(page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")


def _one_header(page, what: str) -> None:
    headers = page.locator("header.site").count()
    assert headers == 1, f"{what}: {headers} site headers on {page.url}"
    assert page.locator("html html, body body, main main").count() == 0, what


def _submit(page, form, what: str) -> str:
    """Submit as is (browser checks off, so an empty form reaches the server)."""
    form.evaluate("f => { f.noValidate = true; }")
    form.locator("button[type=submit]").first.click()
    _settled(page)
    _one_header(page, what)
    return page.url


def _every_form(page, url: str) -> int:
    """Submit each htmx form of ``url`` and each one its links load; returns how many."""
    page.goto(url)
    _settled(page)
    forms = page.locator(HTMX_FORM).count()
    links = page.locator(FORM_LINK).count()
    for i in range(forms):
        page.goto(url)
        _settled(page)
        _submit(page, page.locator(HTMX_FORM).nth(i), f"form {i} of {url}")
    for i in range(links):
        page.goto(url)
        _settled(page)
        link = page.locator(FORM_LINK).nth(i)
        target = link.get_attribute("hx-target")
        link.click()
        _settled(page)
        _one_header(page, f"link {i} of {url}")
        loaded = page.locator(", ".join(f"{target} {f}, {target}{f}" for f in HTMX_FORMS))
        if loaded.count():
            _submit(page, loaded.first, f"form loaded by link {i} of {url}")
    return forms + links


def test_appeal_and_peer_comment_go_to_the_members_page(browser, live_server, year_in_progress):
    page = new_page(browser, live_server, DESKTOP)
    log_in(page, live_server, "member1")
    page.goto(f"{live_server.url}/appeals/2026/new/")
    page.fill("textarea[name=reasons]", "扣分事实有误")
    url = _submit(page, page.locator(HTMX_FORM).first, "appeal")
    assert "/appeals/" not in url and "/me/" in url, url
    assert "已提交" in page.locator(".messages").inner_text()

    page.goto(f"{live_server.url}/eval/2026/peer/M1B/")
    for field in page.locator("form[hx-post] textarea").all():
        field.fill("认真负责")
    url = _submit(page, page.locator(HTMX_FORM).first, "peer comment")
    assert url.endswith("/eval/2026/mine/"), url
    assert "李四" in page.locator(".messages").inner_text()


def test_secretary_comment_with_an_error_shows_the_form_once(
    browser,
    live_server,
    year_in_progress,
):
    page = new_page(browser, live_server, DESKTOP)
    log_in(page, live_server, "sec1")
    # a form refused with 400 (the archive's) is swapped in too, its errors shown once
    for path, what in (
        ("/eval/B1/2026/comment/M1/", "secretary comment with an error"),
        ("/members/M1/archive/transfer/", "transfer with an error"),
    ):
        form_url = f"{live_server.url}{path}"
        page.goto(form_url)
        url = _submit(page, page.locator(HTMX_FORM).first, what)
        assert url == form_url
        assert page.locator("form[hx-post] p.error, form[hx-post] .error-box").count() >= 1
        assert page.locator(HTMX_FORM).count() == 1


@pytest.mark.parametrize(
    ("username", "paths"),
    [
        (
            "sec1",
            (
                "/branches/B1/",
                "/branches/B1/ledger/",
                "/members/M1/archive/",
                "/members/M1/archive/profile/",
                "/members/M1/archive/transfer/",
                "/members/M1/archive/lost/",
                "/members/M1/archive/exemptions/",
                "/members/M1/archive/investigation/",
                "/members/M1/edit/",
                "/members/M1/tally/?year=2026",
                "/eval/B1/2026/comment/M1/",
            ),
        ),
        ("member1", ("/me/", "/appeals/2026/new/", "/eval/2026/peer/M1B/")),
        (
            "admin",
            (
                "/organizations/B1/",
                "/schemes/2026/items/D07/",
                "/members/M1/decision/?year=2026",
            ),
        ),
    ],
)
def test_every_htmx_form_leaves_one_header(
    browser,
    live_server,
    year_in_progress,
    username,
    paths,
):
    page = new_page(browser, live_server, DESKTOP)
    log_in(page, live_server, username)
    submitted = 0
    for path in paths:
        submitted += _every_form(page, f"{live_server.url}{path}")
    assert submitted >= len(paths) // 2, "too few htmx forms found: the paths are stale"
