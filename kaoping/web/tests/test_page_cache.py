"""The cached bodies of the branch and member pages and the cached live results of the
API: a write shows at once, whoever made it and however (a form, a service, a raw
update), because the cache key carries the branch's results stamp."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaoping.evaluation.models import VoteTally
from kaoping.notifications.services import notification_send
from kaoping.orgs.models import Member
from kaoping.orgs.services import role_assign
from kaoping.schemes.services import scheme_update
from kaoping.scoring import stamped_cache

from .test_views import entry_post, login

# Outside a test transaction: the cache is used only there (see results_cache_usable).
pytestmark = pytest.mark.django_db(transaction=True)

BRANCH = "/branches/B1/?year=2026"
MEMBER = "/members/M1/?year=2026"
API = "/api/years/2026/results?branch=B1"
NUMBERS = {"deductions", "bonus", "daily", "democratic_pct", "democratic", "composite"}


def _composite(html: str, name: str) -> str:
    row = re.search(rf">{name}</a></td>.*?class=\"num strong composite\">([^<]+)<", html, re.S)
    return row.group(1)


def _m1_api(client) -> dict:
    items = client.get(API).json()["items"]
    row = next(r for r in items if r["member"] == "M1")
    return {k: Decimal(v) if k in NUMBERS and v is not None else v for k, v in row.items()}


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.fixture(autouse=True)
def _empty_caches():
    stamped_cache.clear()


@pytest.fixture
def sec1(client, district):
    return login(client, district.sec1)


def test_pages_and_api_show_an_entry_a_tally_and_a_scheme_change_at_once(
    year_2026_over, sec1, district
):
    client = sec1
    before = client.get(BRANCH).content.decode()
    assert _composite(before, "张三") == "70.0"
    assert client.get(MEMBER).status_code == 200
    assert _m1_api(client)["composite"] == 70

    # A form: an entry.
    assert client.post("/branches/B1/entries/", entry_post(district)).status_code == 302
    html = client.get(BRANCH).content.decode()
    assert _composite(html, "张三") == "68.0" and "四月支部大会无故缺席" in html
    assert "四月支部大会无故缺席" in client.get(MEMBER).content.decode()
    assert _m1_api(client)["daily"] == 68

    # A form: the paper ballot tally.
    tally = {"year": "2026", "excellent": "3", "qualified": "1", "basic": "0", "unqualified": "0"}
    assert client.post("/members/M1/tally/", tally).status_code == 302
    assert "95.00%" in client.get(BRANCH).content.decode()
    assert "95.00%" in client.get(MEMBER).content.decode()
    assert _m1_api(client)["democratic_pct"] == 95

    # A raw write nobody told the cache about: the trigger did.
    VoteTally.objects.filter(member=district.m1, option="excellent").update(count=0)
    assert "95.00%" not in client.get(BRANCH).content.decode()
    assert _m1_api(client)["democratic_pct"] != 95

    # A scheme change (every branch).
    scheme_update(actor=None, scheme=district.scheme, base_points=Decimal("60"))
    html = client.get(BRANCH).content.decode()
    assert '<td class="num">58.0</td>' in html
    assert _m1_api(client)["daily"] == 58


def test_a_cached_page_costs_a_fixed_few_queries_and_keeps_per_user_parts(sec1, district):
    client = sec1
    first = client.get(BRANCH)
    # Served from the cache: session, user, roles, branch, scheme, stamp, cache, the
    # header's unread count; nothing grows with the branch.
    assert _queries(lambda: client.get(BRANCH)) <= 10
    again = client.get(BRANCH)
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    html = again.content.decode()
    assert token.findall(html) and "kp-csrf-slot" not in html
    strip = lambda r: token.sub("", r.content.decode())  # noqa: E731
    assert strip(again) == strip(first)
    # Another worker process: the body comes from the shared cache, not rendered again.
    stamped_cache.recent.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert strip(client.get(BRANCH)) == strip(first)
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "kaoping_cache" in sql and "ledger_scoreentry" not in sql
    # The token in the cached body is this session's: a form posted from it is accepted.
    client.handler.enforce_csrf_checks = True
    data = entry_post(district) | {"csrfmiddlewaretoken": token.findall(html)[-1]}
    assert client.post("/branches/B1/entries/", data).status_code == 302


def test_read_only_roles_and_other_languages_get_their_own_body(client, district):
    login(client, district.sec1)
    assert "录入加扣分记录" in client.get(BRANCH).content.decode()
    client.force_login(district.orgdept)
    html = client.get(BRANCH).content.decode()
    assert "录入加扣分记录" not in html and "张三" in html
    client.cookies["django_language"] = "en"
    html = client.get(BRANCH).content.decode()
    assert "Roster" in html and "党员名册" not in html


def test_a_renamed_member_shows_at_once(sec1, district):
    client = sec1
    assert "张三" in client.get(MEMBER).content.decode()
    Member.objects.filter(pk=district.m1.pk).update(name="张三丰")
    assert "<h1>张三丰" in client.get(MEMBER).content.decode()
    assert "张三丰" in client.get(BRANCH).content.decode()


def _nav(client) -> str:
    html = client.get("/me/").content.decode()
    return re.search(r'<nav class="main".*?</nav>', html, re.S).group(0)


def test_the_cached_navigation_follows_roles_unread_count_and_language(client, district):
    """The navigation is cached in each worker's memory under what it depends on: a new
    role, a new notification and the other language show on the next request."""
    login(client, district.member1)
    nav = _nav(client)
    assert "我的考评" in nav and "总览" not in nav and "badge" not in nav
    role_assign(
        actor=district.admin, user=district.member1, organization=district.b1, role="secretary"
    )
    assert "第一党支部" in _nav(client)  # the branch's own group of pages
    notification_send(user=district.member1, text="新的扣分记录")
    assert re.search(r'class="badge"[^>]*>1<', _nav(client))
    client.cookies["django_language"] = "en"
    assert "Meeting" in _nav(client)
    client.cookies["django_language"] = "zh-hans"
    assert "会议" in _nav(client)
