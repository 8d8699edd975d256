"""Where a branch's tallies come from (issue 15, item 12): once it holds a round, only from
the round (counted ballots, or the two matching paper entries); typed-in counts only for a
year already over; bundles (the system) write tallies of branches without a round."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from kaoping.evaluation.models import EvaluationRound, VoteTally
from kaoping.evaluation.services import (
    ballot_cast,
    tallies_import,
    tally_set,
    vote_close,
    vote_publish,
)

from .support import branch_of, count_votes, round_at_vote

pytestmark = pytest.mark.django_db

COUNTS = {"excellent": 27, "qualified": 0, "basic": 0, "unqualified": 0}


def stored(member) -> dict:
    return dict(VoteTally.objects.filter(member=member).values_list("option", "count"))


def secretary(district) -> Client:
    client = Client()
    client.force_login(district.sec1)
    return client


def refused_everywhere(district, round_) -> None:
    """The page (GET and POST) and the API refuse, naming the branch and the round."""
    before = stored(district.m1)
    client = secretary(district)
    page = client.get("/members/M1/tally/?year=2026").content.decode()
    assert "第一党支部" in page and round_.get_vote_method_display() in page
    assert 'name="excellent"' not in page  # no form to fill in
    post = client.post("/members/M1/tally/", {"year": "2026", **COUNTS})
    assert "不能直接录入" in post.content.decode()
    api = client.put("/api/years/2026/tallies/M1", COUNTS, content_type="application/json")
    assert api.status_code == 422
    assert "第一党支部" in str(api.json())
    assert stored(district.m1) == before
    branch_page = client.get("/branches/B1/?year=2026").content.decode()
    assert "/members/M1/tally/" not in branch_page  # no 计票 link


def test_an_online_vote_cannot_be_overwritten(district, year_2026_over):
    members = branch_of(district, 4)
    round_ = round_at_vote(district)
    for member in members:
        ballot_cast(actor=member.user, round_=round_, marks={"M1": "qualified"})
    vote_close(actor=district.sec1, round_=round_)
    count_votes(district, round_)
    vote_publish(actor=district.sec1, round_=round_)
    assert stored(district.m1)["qualified"] == 4
    # Even for a year already over, even the system: the round decides.
    refused_everywhere(district, round_)
    with pytest.raises(ValidationError, match="网上投票计票"):
        tally_set(actor=None, year=2026, member=district.m1, counts=COUNTS)
    assert stored(district.m1)["qualified"] == 4


def test_a_paper_round_takes_only_the_two_matching_entries(district, year_2026_over):
    round_ = round_at_vote(district, EvaluationRound.VoteMethod.PAPER)
    refused_everywhere(district, round_)
    assert not VoteTally.objects.exists()


def test_no_round_in_the_current_year_means_open_one_first(district, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 6, 1))
    client = secretary(district)
    page = client.get("/members/M1/tally/?year=2026").content.decode()
    assert "尚未开展 2026 年度民主评议" in page
    client.post("/members/M1/tally/", {"year": "2026", **COUNTS})
    api = client.put("/api/years/2026/tallies/M1", COUNTS, content_type="application/json")
    assert api.status_code == 422
    assert not VoteTally.objects.exists()
    assert "/members/M1/tally/" not in client.get("/branches/B1/?year=2026").content.decode()


def test_a_year_already_over_without_a_round_may_be_typed_in(district, year_2026_over):
    client = secretary(district)
    assert "/members/M1/tally/" in client.get("/branches/B1/?year=2026").content.decode()
    response = client.put("/api/years/2026/tallies/M1", COUNTS, content_type="application/json")
    assert response.status_code == 200
    assert stored(district.m1) == COUNTS


def test_the_bundle_path_writes_tallies_of_a_branch_without_a_round(district):
    tallies_import(actor=None, year=2026, rows=[("M1", COUNTS), ("M2", {"qualified": 3})])
    assert stored(district.m1) == COUNTS
    assert stored(district.m2) == {"qualified": 3}


def test_the_bundle_path_cannot_overwrite_a_round(district):
    round_at_vote(district, EvaluationRound.VoteMethod.PAPER)
    with pytest.raises(ValidationError, match="第一党支部"):
        tallies_import(actor=None, year=2026, rows=[("M1", COUNTS)])
    assert not VoteTally.objects.exists()
