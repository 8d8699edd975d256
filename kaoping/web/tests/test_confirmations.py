"""Irreversible decisions ask first (issue 19 leftover): closing a meeting's attendance,
reversing a ledger entry, deciding a bonus claim, a decision step of an unqualified case
and reopening a finalised year. Posted without ``confirm`` each changes nothing and
answers web/confirm.html with its consequences (what the dialog of kaoping.js shows,
points in the signed format); the page's form is marked data-confirm; the same post with
``confirm=1`` (the confirmation page re-posts the fields) does it."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from kaoping.claims.models import BonusClaim
from kaoping.claims.tests.support import a_claim
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import entry_record
from kaoping.schemes.models import BranchYearClosing, SchemeItem
from kaoping.testing.factories import b1_meeting
from kaoping.unqualified.models import CaseStep, UnqualifiedCase
from kaoping.unqualified.services import case_propose

from .test_frozen_year import finalised_b1

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def consequences(response) -> list[str]:
    """The consequences the confirmation page lists (what the dialog shows)."""
    html = response.content.decode()
    assert response.status_code == 200 and '<section class="card confirm"' in html
    block = re.search(r'<ul class="consequences">(.*?)</ul>', html, re.S)
    assert block, "no consequences"
    return [
        re.sub(r"<[^>]+>", "", li).strip()
        for li in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)
    ]


def reposted(response) -> dict[str, str]:
    """The hidden fields the confirmation page posts again."""
    form = response.content.decode().split('<form class="form confirm"', 1)[1]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    assert fields.pop("confirm") == "1"
    fields.pop("csrfmiddlewaretoken")
    return fields


def item(district, code) -> SchemeItem:
    return SchemeItem.objects.get(scheme=district.scheme, code=code)


def test_closing_the_attendance_asks_then_closes(district):
    client = signed_in(district.sec1)
    meeting = b1_meeting(district)
    page = client.get(reverse("meetings:detail", args=[meeting.code])).content.decode()
    # the dialog asks for the close button only, not for saving
    assert re.search(r'name="close" value="1" class="primary" data-confirm=""', page)
    url = reverse("meetings:attendance", args=[meeting.code])
    statuses = {"a-M1": "absent", "a-M1B": "present"}
    lines = consequences(client.post(url, {**statuses, "close": "1"}))
    assert any(district.m1.name in line and "−" in line and ".0 分" in line for line in lines)
    meeting.refresh_from_db()
    assert not meeting.is_closed and not ScoreEntry.objects.exists()
    # the dialog's 确认 posts the same button again with confirm=1
    done = client.post(url, {**statuses, "close": "1", "confirm": "1"}, follow=True)
    meeting.refresh_from_db()
    assert meeting.is_closed and ScoreEntry.objects.filter(member=district.m1).count() == 1
    assert "考勤已关闭，新增 1 条扣分记录。" in done.content.decode()


def test_reversing_an_entry_asks_with_its_points_then_reverses(district):
    entry = entry_record(
        actor=None, member=district.m1, item=item(district, "D01"), date=datetime.date(2026, 3, 1)
    )
    client = signed_in(district.sec1)
    url = reverse("web:entry_reverse", args=[entry.code])
    assert 'data-confirm=""' in client.get(url).content.decode()
    asked = client.post(url, {"reason": "错录", "next": "/branches/B1/"})
    lines = consequences(asked)
    assert any("−2.0 分" in line and entry.item.name in line for line in lines)
    assert any("+2.0 分" in line for line in lines)  # the member's year changes back
    assert reposted(asked) == {"reason": "错录", "next": "/branches/B1/"}
    assert ScoreEntry.objects.count() == 1
    done = client.post(url, {"reason": "错录", "next": "/branches/B1/", "confirm": "1"})
    assert done.status_code == 302 and ScoreEntry.objects.filter(reverses=entry).exists()
    # a reason is still required: the form's error, not a confirmation
    other = entry_record(
        actor=None, member=district.m1, item=item(district, "D01"), date=datetime.date(2026, 3, 2)
    )
    bad = client.post(reverse("web:entry_reverse", args=[other.code]), {"reason": ""})
    assert '<section class="card confirm"' not in bad.content.decode()


def test_deciding_a_claim_asks_then_decides(district):
    claim = a_claim(district)
    client = signed_in(district.sec1)
    url = reverse("claims:detail", args=[claim.code])
    page = client.get(url).content.decode()
    assert re.search(rf'action="{url}" data-confirm=""', page)
    lines = consequences(client.post(url, {"decision": "approve", "reason": ""}))
    assert lines[0].startswith(f"为 {district.m1.name} 记录加分") and "+" in lines[0]
    assert "审核后不能更改" in lines[-1]
    claim.refresh_from_db()
    assert claim.status == "pending" and not ScoreEntry.objects.exists()
    # a refusal without its reason goes straight to the form's error
    bad = client.post(url, {"decision": "refuse", "reason": ""})
    assert bad.status_code == 400 and "须说明理由" in bad.content.decode()
    asked = client.post(url, {"decision": "refuse", "reason": "证明不足"})
    assert "理由：证明不足" in consequences(asked)[0]
    assert reposted(asked) == {"decision": "refuse", "reason": "证明不足"}
    client.post(url, {"decision": "refuse", "reason": "证明不足", "confirm": "1"})
    claim.refresh_from_db()
    assert claim.status == BonusClaim.Status.REFUSED


def test_a_case_decision_step_asks_then_records(district):
    case = case_propose(
        actor=district.sec1,
        member=district.m1,
        condition="2",
        facts="连续六个月未参加组织生活",
        year=2026,
    )
    client = signed_in(district.admin)
    url = reverse("unqualified:detail", args=[case.code])
    page = client.get(url).content.decode()
    assert page.count('data-confirm=""') == 1  # the review form
    body = CaseStep.Body.COMMITTEE
    data = {"action": "review", "review-body": body, "review-decision": "approve"}
    lines = consequences(client.post(url, data))
    assert case.code in lines[0] and "通过预审" in lines[0] and "不能修改或撤回" in lines[-1]
    assert not CaseStep.objects.filter(case=case, stage="pre_review").exists()
    client.post(url, {**data, "confirm": "1"})
    assert CaseStep.objects.filter(case=case, stage="pre_review", body=body).exists()
    case.refresh_from_db()
    assert case.state == UnqualifiedCase.State.PRE_REVIEW  # the other body has not acted


def test_reopening_a_finalised_year_asks_then_reopens(district):
    finalised_b1(district)
    client = signed_in(district.admin)
    page = client.get("/pub/B1/2026/").content.decode()
    assert re.search(r'action="/pub/B1/2026/reopen/" data-confirm=""', page)
    asked = client.post("/pub/B1/2026/reopen/", {"reason": "上级通报需更正"})
    lines = consequences(asked)
    assert any("重新开放" in line for line in lines) and any(
        "上级通报需更正" in line for line in lines
    )
    assert BranchYearClosing.objects.exists()
    client.post("/pub/B1/2026/reopen/", {"reason": "上级通报需更正", "confirm": "1"})
    assert not BranchYearClosing.objects.exists()
