"""Irreversible steps of the round show their consequences first (issue 15, item 14):
advancing with self-evaluations missing (counts and names), closing the vote (turnout as
counts only, the deadline, the minimum); each without ``confirm`` changes nothing; the
vote cannot be closed below the scheme's minimum turnout; the ballot page says at once
that this voter has voted."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from kaoping.evaluation.models import EvaluationRound
from kaoping.evaluation.services import ballot_cast, vote_close
from kaoping.schemes.models import Scheme

from .support import branch_of, open_round, round_at_vote, self_evaluate

pytestmark = pytest.mark.django_db


def secretary(district) -> Client:
    client = Client()
    client.force_login(district.sec1)
    return client


def confirm_moves(client: Client, url: str, field: str, before: str, after: str) -> None:
    """The round's ``field`` is still ``before`` (nothing done without ``confirm``); the
    form posted with ``confirm`` moves it to ``after``."""
    assert getattr(EvaluationRound.objects.get(), field) == before
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert getattr(EvaluationRound.objects.get(), field) == after


def test_the_default_minimum_is_two_thirds():
    assert Scheme._meta.get_field("vote_min_turnout").default == Decimal("0.6667")


def test_advancing_shows_who_has_not_submitted_then_needs_confirm(district):
    members = branch_of(district, 5)
    round_ = open_round(district)
    self_evaluate(district.member1, round_, problems="a", causes="b", measures="c", submit=True)
    client = secretary(district)
    url = "/eval/B1/2026/do/advance/"
    for response in (client.get(url), client.post(url)):
        page = response.content.decode()
        assert response.status_code == 200
        assert "自评已提交 1 / 5 人，未提交 4 人" in page
        for m in members:
            assert (m.name in page) is (m.pk != district.m1.pk)
        assert 'name="confirm"' in page
    confirm_moves(client, url, "step", EvaluationRound.Step.SELF, EvaluationRound.Step.PEER)


def test_closing_shows_turnout_counts_and_the_deadline_then_needs_confirm(district):
    members = branch_of(district, 3)
    round_ = round_at_vote(district)
    EvaluationRound.objects.filter(pk=round_.pk).update(vote_deadline=datetime.date(2099, 1, 1))
    for member in members[:2]:
        ballot_cast(actor=member.user, round_=round_, marks={})
    client = secretary(district)
    url = "/eval/B1/2026/do/close/"
    page = client.post(url).content.decode()
    assert "投票人 3 名，已投票 2 名，投票率 66.67%" in page and "66.67%" in page
    assert "2099-01-01" in page and "尚未到期" in page
    assert members[2].name not in page  # who has not voted is never shown
    confirm_moves(
        client, url, "vote_state", EvaluationRound.VoteState.OPEN, EvaluationRound.VoteState.CLOSED
    )


def test_the_vote_cannot_be_closed_below_the_minimum_turnout(district):
    members = branch_of(district, 4)
    round_ = round_at_vote(district)
    ballot_cast(actor=members[0].user, round_=round_, marks={})
    with pytest.raises(ValidationError, match=r"1/4（25%）.*66\.67%"):
        vote_close(actor=district.sec1, round_=round_)
    client = secretary(district)
    page = client.get("/eval/B1/2026/do/close/").content.decode()
    assert "低于 2026 年度方案规定的最低投票率 66.67%" in page
    assert 'name="confirm"' not in page
    client.post("/eval/B1/2026/do/close/", {"confirm": "1"})
    assert EvaluationRound.objects.get().vote_state == EvaluationRound.VoteState.OPEN
    Scheme.objects.filter(year=2026).update(vote_min_turnout=Decimal("0.25"))
    vote_close(actor=district.sec1, round_=round_)
    assert EvaluationRound.objects.get().vote_state == EvaluationRound.VoteState.CLOSED


def test_the_ballot_page_says_at_once_that_this_voter_has_voted(district):
    branch_of(district, 3)
    round_ = round_at_vote(district)
    client = Client()
    client.force_login(district.member1)
    assert 'name="m:M1"' in client.get("/eval/2026/vote/").content.decode()
    ballot_cast(actor=district.member1, round_=round_, marks={"M1": "excellent"})
    page = client.get("/eval/2026/vote/").content.decode()
    assert "您已投票" in page and 'name="m:M1"' not in page
