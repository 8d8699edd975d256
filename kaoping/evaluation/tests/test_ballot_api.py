"""Casting one's own secret ballot through the API (issue 20) with the page's secrecy:
the right is used and the sealed ballot stored, the receipt is in the ballot box, an
``Idempotency-Key`` is refused and nothing is cached; once only; the counted ballots are
the same whether cast on the page or through the API."""

import pytest

from kaoping.evaluation.models import SealedBallot, VoteRight
from kaoping.evaluation.services import vote_close
from kaoping.testing.api import bearer, send, session

from .support import any_turnout, branch_of, count_votes, round_at_vote

pytestmark = pytest.mark.django_db

URL = "/api/me/evaluation/2026/ballot"


def test_a_member_reads_the_ballot_and_casts_it_once(district):
    d = district
    voters = branch_of(d, 3)
    round_at_vote(d)
    member = bearer(voters[0].user)
    form = member.get(URL).json()
    assert form["voted"] is False and "excellent" in form["options"]
    assert [c["member"] for c in form["candidates"]] == [m.code for m in voters]
    cast = send(member, "POST", URL, {"marks": {"M1": "excellent", "M1B": "qualified"}})
    assert cast.status_code == 201, cast.content
    receipt = cast.json()["receipt"]
    assert "no-store" in cast["Cache-Control"]
    assert SealedBallot.objects.get().receipt == receipt
    box = member.get("/api/branches/B1/years/2026/ballot-box").json()
    assert receipt in str(box)
    assert member.get(URL).json()["voted"] is True
    again = send(member, "POST", URL, {"marks": {"M1": "basic"}})
    assert again.status_code == 422 and "只能投一次" in again.json()["detail"]
    assert SealedBallot.objects.count() == 1


def test_ballot_refusals_use_nothing(district):
    d = district
    voters = branch_of(d, 3)
    round_at_vote(d)
    member = bearer(voters[1].user)
    keyed = send(member, "POST", URL, {"marks": {"M1": "excellent"}}, **{"Idempotency-Key": "k1"})
    assert keyed.status_code == 422 and keyed.json()["code"] == "idempotency_key_refused"
    stranger = send(member, "POST", URL, {"marks": {"M2": "excellent"}})
    assert stranger.status_code == 422 and "M2" in stranger.json()["detail"]
    option = send(member, "POST", URL, {"marks": {"M1": "great"}})
    assert option.status_code == 422
    assert send(bearer(d.sec2), "POST", URL, {"marks": {}}).status_code == 404  # no record
    assert not SealedBallot.objects.exists()
    assert not VoteRight.objects.filter(used=True).exists()


def test_page_and_api_ballots_count_alike(district):
    d = district
    voters = branch_of(d, 3)
    round_ = round_at_vote(d)
    session(voters[0].user).post("/eval/2026/vote/", {"m:M1": "excellent"})
    send(bearer(voters[1].user), "POST", URL, {"marks": {"M1": "excellent"}})
    assert SealedBallot.objects.count() == 2
    any_turnout()
    round_.refresh_from_db()
    vote_close(actor=d.sec1, round_=round_)
    result = count_votes(d, round_)
    assert result.totals["M1"]["excellent"] == 2
