"""The branch's round through the API: its state, opening it, its irreversible steps with
their consequences first, starting the online vote with its scrutineers (the shares shown
once), re-running it or falling back to paper, and the recount. Refusals (404 out of
scope, 403 wrong role, 422 bad input or wrong step) and the page ending in the same
state."""

import pytest

from kaoping.evaluation.models import EvaluationRound, SealedBallot, VoteRight
from kaoping.evaluation.services import ballot_cast, round_advance, vote_close
from kaoping.testing.api import assert_statuses, bearer, invalid, send, session

from .support import any_turnout, branch_of, open_round, round_at_vote

pytestmark = pytest.mark.django_db

STATE = "/api/branches/B1/years/2026/evaluation"
ACTIONS = STATE + "/actions"


def _fields(round_: EvaluationRound) -> tuple:
    return (round_.step, round_.vote_method, round_.vote_state, round_.anonymous_peer)


def test_state_and_opening(district):
    d = district
    secretary = bearer(d.sec1)
    before = secretary.get(STATE)
    assert before.status_code == 200, before.content
    assert before.json()["round"] is None and before.json()["can_manage"] is True
    assert bearer(d.orgdept).get(STATE).json()["can_manage"] is False
    assert_statuses("GET", STATE, {d.member1: 404, d.sec2: 404})
    assert secretary.get("/api/branches/B1/years/2031/evaluation").status_code == 404  # no scheme
    assert "vote_method" in invalid(secretary, "POST", STATE, {"vote_method": "carrier-pigeon"})
    assert_statuses("POST", STATE, {d.orgdept: 403, d.sec2: 404}, {})
    opened = send(secretary, "POST", STATE, {"anonymous_peer": True, "self_deadline": "2026-12-01"})
    assert opened.status_code == 201, opened.content
    body = opened.json()
    assert body["round"]["step"] == "self" and body["round"]["anonymous_peer"] is True
    assert body["round"]["self_deadline"] == "2026-12-01"
    assert [p["member"] for p in body["progress"]] == ["M1", "M1B"]
    again = send(secretary, "POST", STATE, {})
    assert again.status_code == 422 and "已经开始" in again.json()["detail"]
    # the page opens B2's the same way
    page = session(d.sec2).post(
        "/eval/B2/2026/open/",
        {"vote_method": "online", "anonymous_peer": "on", "self_deadline": "2026-12-01"},
    )
    assert page.status_code == 302
    b1, b2 = (EvaluationRound.objects.get(branch=b, year=2026) for b in (d.b1, d.b2))
    assert _fields(b1) == _fields(b2) and b1.self_deadline == b2.self_deadline


def test_actions_show_their_consequences_then_act(district):
    d = district
    round_ = open_round(d)
    secretary = bearer(d.sec1)
    shown = send(secretary, "POST", ACTIONS, {"action": "advance"})
    assert shown.status_code == 200, shown.content
    body = shown.json()
    assert body["done"] is False and body["round"]["step"] == "self"
    assert "张三" in body["consequences"]["names"]
    round_.refresh_from_db()
    assert round_.step == "self"
    done = send(secretary, "POST", ACTIONS, {"action": "advance", "confirm": True})
    assert done.status_code == 200 and done.json()["done"] is True
    assert done.json()["round"]["step"] == "peer" and done.json()["consequences"] is None
    closing = send(secretary, "POST", ACTIONS, {"action": "close", "confirm": True})
    assert closing.status_code == 422
    assert "action" in invalid(secretary, "POST", ACTIONS, {"action": "skip", "confirm": True})
    assert_statuses(
        "POST", ACTIONS, {d.orgdept: 403, d.member1: 404, d.sec2: 404}, {"action": "advance"}
    )
    # the page takes the same step to the same state
    page = session(d.sec1).post("/eval/B1/2026/do/advance/", {"confirm": "1"})
    assert page.status_code == 302
    round_.refresh_from_db()
    assert round_.step == "secretary"


def test_close_refused_below_the_minimum_turnout_then_published(district):
    d = district
    members = branch_of(d, 3)
    round_ = round_at_vote(d)
    ballot_cast(actor=members[0].user, round_=round_, marks={"M1": "excellent"})
    secretary = bearer(d.sec1)
    shown = send(secretary, "POST", ACTIONS, {"action": "close"}).json()
    assert shown["consequences"]["refusal"] and shown["consequences"]["names"] == []
    refused = send(secretary, "POST", ACTIONS, {"action": "close", "confirm": True})
    assert refused.status_code == 422 and "最低投票率" in refused.json()["detail"]
    any_turnout()
    closed = send(secretary, "POST", ACTIONS, {"action": "close", "confirm": True})
    assert closed.status_code == 200 and closed.json()["round"]["vote_state"] == "closed"
    count = send(
        secretary, "POST", "/api/branches/B1/years/2026/count", {"shares": round_.test_shares}
    )
    assert count.status_code == 200
    published = send(secretary, "POST", ACTIONS, {"action": "publish", "confirm": True})
    assert published.status_code == 200 and published.json()["round"]["step"] == "determination"
    state = secretary.get(STATE).json()
    assert state["counted"] is True and state["totals"]["M1"]["excellent"] == 1


def _at_secretary(d):
    round_ = open_round(d)
    for _ in range(2):
        round_ = round_advance(actor=d.sec1, round_=round_)
    return round_


def test_vote_open_answers_the_shares_once(district):
    d = district
    members = branch_of(d, 3)
    round_ = _at_secretary(d)
    secretary = bearer(d.sec1)
    url = STATE + "/vote-open"
    codes = [m.code for m in members[:2]]
    assert "scrutineers" in invalid(secretary, "POST", url, {"scrutineers": codes[:1]})
    unknown = send(secretary, "POST", url, {"scrutineers": ["M1", "M2"]})
    assert unknown.status_code == 422 and "M2" in unknown.json()["errors"]["scrutineers"][0]
    keyed = send(secretary, "POST", url, {"scrutineers": codes}, **{"Idempotency-Key": "k1"})
    assert keyed.status_code == 422 and keyed.json()["code"] == "idempotency_key_refused"
    round_.refresh_from_db()
    assert round_.step == "secretary" and not VoteRight.objects.exists()
    assert send(bearer(d.orgdept), "POST", url, {"scrutineers": codes}).status_code == 403
    opened = send(secretary, "POST", url, {"scrutineers": codes})
    assert opened.status_code == 200, opened.content
    assert "no-store" in opened["Cache-Control"]
    body = opened.json()
    assert body["round"]["vote_state"] == "open"
    assert [s["member"] for s in body["shares"]] == codes
    shares = [s["share"] for s in body["shares"]]
    # the shares count the vote: cast, close, count with them
    ballot_cast(actor=members[0].user, round_=round_, marks={"M1": "qualified"})
    any_turnout()
    round_.refresh_from_db()
    vote_close(actor=d.sec1, round_=round_)
    count = send(secretary, "POST", "/api/branches/B1/years/2026/count", {"shares": shares})
    assert count.status_code == 200 and count.json()["count"]["ballots"] == 1
    again = send(secretary, "POST", url, {"scrutineers": codes})
    assert again.status_code == 422


def test_rerun_and_to_paper(district):
    d = district
    members = branch_of(d, 4)
    round_ = round_at_vote(d, scrutineers=members[:2])
    ballot_cast(actor=members[0].user, round_=round_, marks={"M1": "basic"})
    secretary = bearer(d.sec1)
    codes = [m.code for m in members[2:]]
    assert "reason" in invalid(secretary, "POST", STATE + "/rerun", {"scrutineers": codes})
    assert "reason" in invalid(
        secretary, "POST", STATE + "/rerun", {"scrutineers": codes, "reason": ""}
    )
    assert SealedBallot.objects.count() == 1
    rerun = send(secretary, "POST", STATE + "/rerun", {"scrutineers": codes, "reason": "份额遗失"})
    assert rerun.status_code == 200, rerun.content
    assert [s["member"] for s in rerun.json()["shares"]] == codes
    assert "no-store" in rerun["Cache-Control"]
    assert not SealedBallot.objects.exists() and not VoteRight.objects.filter(used=True).exists()
    assert send(bearer(d.member1), "POST", STATE + "/to-paper", {"reason": "x"}).status_code == 404
    paper = send(secretary, "POST", STATE + "/to-paper", {"reason": "改为纸质投票"})
    assert paper.status_code == 200, paper.content
    assert (paper.json()["vote_method"], paper.json()["vote_state"]) == ("paper", "open")
    again = send(secretary, "POST", STATE + "/to-paper", {"reason": "again"})
    assert again.status_code == 422
    assert not VoteRight.objects.exists()


def test_to_paper_page_and_api_end_in_the_same_state(district):
    d = district
    round_at_vote(d)
    assert (
        session(d.sec1).post("/eval/B1/2026/to-paper/", {"reason": "份额遗失"}).status_code == 302
    )
    page = EvaluationRound.objects.get(branch=d.b1, year=2026)
    page_state = (*_fields(page), page.vote_key)
    page.delete()
    round_at_vote(d)
    assert (
        send(bearer(d.sec1), "POST", STATE + "/to-paper", {"reason": "份额遗失"}).status_code == 200
    )
    api = EvaluationRound.objects.get(branch=d.b1, year=2026)
    assert (*_fields(api), api.vote_key) == page_state


def test_recount(district):
    d = district
    members = branch_of(d, 3)
    round_ = round_at_vote(d)
    url = "/api/branches/B1/years/2026/recount"
    early = send(bearer(d.member1), "POST", url)
    assert early.status_code == 422 and "尚未计票" in early.json()["detail"]
    for voter in members:
        ballot_cast(actor=voter.user, round_=round_, marks={"M1": "excellent"})
    vote_close(actor=d.sec1, round_=round_)
    send(
        bearer(d.sec1), "POST", "/api/branches/B1/years/2026/count", {"shares": round_.test_shares}
    )
    done = send(bearer(d.member1), "POST", url)
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["agrees"] is True and body["ballots"] == 3 and body["differences"] == []
    assert body["totals"]["M1"]["excellent"] == 3
    assert_statuses("POST", url, {d.member2: 404, d.sec2: 404})


def test_during_the_vote_the_state_says_turnout_never_a_ballot(district):
    d = district
    members = branch_of(d, 3)
    round_ = round_at_vote(d)
    voter = members[0]
    assert bearer(voter.user).get("/api/me/evaluation/2026").json()["can_vote"] is True
    receipt = ballot_cast(actor=voter.user, round_=round_, marks={"M1": "unqualified"})
    mine = bearer(voter.user).get("/api/me/evaluation/2026").json()
    assert (mine["can_vote"], mine["voted"]) == (False, True)
    state = bearer(d.sec1).get(STATE)
    text = state.content.decode()
    assert state.json()["totals"] is None and state.json()["turnout"]["used"] == 1
    assert receipt not in text and "unqualified" not in text
