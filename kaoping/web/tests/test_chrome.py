"""The page chrome (issue 19, item 1): breadcrumbs, toasts, confirmations, step
indicators and the branch page as an overview."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kaoping.evaluation.models import EvaluationRound
from kaoping.evaluation.selectors import round_steps
from kaoping.evaluation.services import round_open
from kaoping.evaluation.tests.support import round_at_vote
from kaoping.ledger.models import ScoreEntry
from kaoping.publication.models import Appeal
from kaoping.publication.selectors import publication_steps
from kaoping.unqualified.models import CaseStep, UnqualifiedCase
from kaoping.unqualified.selectors import case_steps

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def trail(html: str) -> list[str]:
    """The breadcrumbs' labels, in order; the last one is marked as the page."""
    nav = re.search(r'<nav class="kp-crumbs" aria-label="面包屑">(.*?)</nav>', html, re.S)
    assert nav, "no breadcrumbs"
    items = re.findall(r"<li[^>]*>(.*?)</li>", nav.group(1), re.S)
    assert 'aria-current="page"' in nav.group(1).rsplit("<li", 1)[1]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in items]


def test_branch_pages_carry_the_trail_to_the_workbench(district):
    client = signed_in(district.sec1)
    name = district.b1.name
    assert trail(client.get("/branches/B1/").content.decode()) == ["工作台", name]
    meetings = client.get(reverse("meetings:branch", args=["B1"])).content.decode()
    assert trail(meetings) == ["工作台", name, "会议"]
    assert f'href="{reverse("web:branch", args=["B1"])}"' in meetings.split("kp-crumbs")[1]
    for url, last in (
        (reverse("dues:branch", args=["B1"]), "党费"),
        (reverse("evaluation:round", args=["B1", 2026]), "民主评议"),
        (reverse("publication:branch", args=["B1", 2026]), "公示"),
        (reverse("web:member", args=[district.m1.code]), district.m1.name),
    ):
        assert trail(client.get(url).content.decode()) == ["工作台", name, last]


def test_committee_pages_and_a_member_get_a_trail_they_can_follow(district):
    page = signed_in(district.admin).get(reverse("unqualified:index")).content.decode()
    assert trail(page) == ["工作台", "不合格党员处置"]
    # A member reading their own page gets no link to the branch's staff page.
    mine = signed_in(district.member1).get(reverse("web:member", args=[district.m1.code]))
    assert trail(mine.content.decode()) == ["工作台", district.m1.name]


def test_a_success_message_is_a_toast_once(district):
    client = signed_in(district.sec1)
    item = district.scheme.items.filter(kind="deduction").order_by("code").first()
    response = client.post(
        reverse("web:entry_create", args=["B1"]),
        {
            "year": "2026",
            "member": district.m1.pk,
            "item": item.pk,
            "date": "2026-03-02",
            "occurrences": "1",
            "note": "测试",
        },
        follow=True,
    )
    page = response.content.decode()
    assert ScoreEntry.objects.count() == 1
    region = re.search(r'<ul class="messages kp-toasts"([^>]*)>(.*?)</ul>', page, re.S)
    assert region and 'role="status"' in region.group(1) and 'aria-live="polite"' in region.group(1)
    assert f"已为 {district.m1.name} 记录“{item.name}”。" in region.group(2)
    assert "data-autohide" in region.group(2) and "data-toast-close" in region.group(2)
    again = client.get("/branches/B1/").content.decode()
    assert "kp-toasts" not in again


def test_publishing_the_vote_needs_confirmation(district):
    round_at_vote(district, method=EvaluationRound.VoteMethod.PAPER)
    client = signed_in(district.sec1)
    url = "/eval/B1/2026/do/publish/"
    asked = client.post(url)
    assert asked.status_code == 200 and "公布后不能再投票" in asked.content.decode()
    assert EvaluationRound.objects.get().step == EvaluationRound.Step.VOTE
    # The page's button opens the dialog (kaoping.js) from data-confirm.
    round_page = client.get("/eval/B1/2026/").content.decode()
    assert re.search(r'action="/eval/B1/2026/do/publish/" data-confirm=""', round_page)


def test_the_rounds_steps_follow_its_state(district):
    assert [s.state for s in round_steps(round_=None)] == ["todo"] * 5
    round_ = round_open(actor=district.sec1, branch=district.b1, year=2026)
    states = [s.state for s in round_steps(round_=round_)]
    assert states == ["current", "todo", "todo", "todo", "todo"]
    round_.step = EvaluationRound.Step.VOTE
    steps = round_steps(round_=round_)
    assert [s.state for s in steps] == ["done", "done", "done", "current", "todo"]
    assert steps[3].note == round_.get_vote_state_display()
    round_.step = EvaluationRound.Step.DETERMINATION
    assert [s.state for s in round_steps(round_=round_, frozen=True)] == ["done"] * 5
    page = signed_in(district.sec1).get("/eval/B1/2026/").content.decode()
    assert '<ol class="kp-steps" aria-label="民主评议的环节">' in page
    assert 'class="current" aria-current="step"' in page and "（进行中）" not in page


def test_the_publication_steps_follow_the_notice_and_the_appeals():
    now = timezone.now()
    determining = SimpleNamespace(step=EvaluationRound.Step.DETERMINATION)
    state = lambda steps: [s.state for s in steps]  # noqa: E731
    assert (
        state(publication_steps(round_=None, publication=None, appeals=[], frozen=False))
        == ["todo"] * 4
    )
    assert state(
        publication_steps(round_=determining, publication=None, appeals=[], frozen=False)
    ) == ["current", "todo", "todo", "todo"]
    running = SimpleNamespace(notice_until=now + datetime.timedelta(days=3))
    steps = publication_steps(round_=determining, publication=running, appeals=[], frozen=False)
    assert (
        state(steps) == ["done", "done", "current", "todo"] and "待答复申诉 0 件" in steps[2].note
    )
    over = SimpleNamespace(notice_until=now - datetime.timedelta(days=1))
    open_appeal = SimpleNamespace(status=Appeal.Status.OPEN)
    assert state(
        publication_steps(round_=determining, publication=over, appeals=[open_appeal], frozen=False)
    ) == ["done", "done", "current", "todo"]
    assert state(
        publication_steps(round_=determining, publication=over, appeals=[], frozen=False)
    ) == ["done", "done", "done", "current"]
    assert (
        state(publication_steps(round_=determining, publication=over, appeals=[], frozen=True))
        == ["done"] * 4
    )


@pytest.mark.parametrize(
    ("state", "file", "expected"),
    [
        ("pre_review", {}, ["done", "current", "todo", "todo", "todo"]),
        ("returned", {}, ["current", "todo", "todo", "todo", "todo"]),
        ("vote", {}, ["done", "done", "current", "todo", "todo"]),
        ("approval", {}, ["done", "done", "done", "current", "todo"]),
        ("determined", {}, ["done", "done", "done", "done", "current"]),
        ("determined", {"handlings": [1]}, ["done"] * 5),
        ("refused", {"steps": [CaseStep(stage="vote")]}, ["done", "done", "current"]),
    ],
)
def test_the_case_steps_follow_its_state(state, file, expected):
    case = UnqualifiedCase(state=state)
    steps = case_steps(case=case, file={"steps": [], "handlings": [], **file})
    assert [s.state for s in steps] == expected
    if state == "refused":
        assert steps[-1].note == "未通过"


def test_the_branch_page_is_an_overview_with_links_into_every_tab(district):
    page = signed_in(district.sec1).get("/branches/B1/").content.decode()
    overview = page.split('id="overview"')[1].split("</section>")[0]
    for url in (
        reverse("meetings:branch", args=["B1"]),
        reverse("dues:branch", args=["B1"]),
        reverse("tasks:branch", args=["B1"]),
        reverse("claims:branch", args=["B1"]),
        reverse("evaluation:round", args=["B1", 2026]),
        reverse("publication:branch", args=["B1", 2026]),
        reverse("dashboards:branch", args=["B1"]),
        reverse("dashboards:report_print", args=["B1"]),
        reverse("web:ledger_publications", args=["B1"]),
    ):
        assert f'href="{url}' in overview, url
    # The stacked link sections the tabs cover are gone; what no tab shows stays.
    assert 'id="daily"' not in page and 'id="dashboard-links"' not in page
    assert 'id="archive"' in page and 'id="sheets"' in page and 'id="add-member"' in page


def test_no_round_says_what_happens_next(district):
    page = signed_in(district.member1).get(reverse("evaluation:mine", args=[2026]))
    assert "目前没有进行中的评议" in page.content.decode()
