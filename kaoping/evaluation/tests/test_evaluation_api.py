"""The democratic evaluation's steps through the API: the member's own tasks, the
self-evaluation and the peer comments, the secretary's comment with its basis. Each with
its refusals (404 out of scope, 403 wrong role, 422 bad input or wrong step) through HTTP
with a bearer token or a session, and the page and the API ending in the same state."""

import pytest

from kaoping.evaluation.models import PeerComment, SecretaryComment, SelfEvaluation
from kaoping.evaluation.services import round_advance
from kaoping.testing.api import assert_statuses, bearer, invalid, send, session

from .support import branch_of, comment_on, open_round

pytestmark = pytest.mark.django_db

TEXTS = {"problems": "学习不够", "causes": "重视不足", "measures": "每周学习"}


def test_my_evaluation_before_and_after_the_round_opens(district):
    d = district
    member = bearer(d.member1)
    before = member.get("/api/me/evaluation/2026")
    assert before.status_code == 200, before.content
    assert before.json()["round"] is None and before.json()["member"] == "M1"
    open_round(d)
    mine = member.get("/api/me/evaluation/2026").json()
    assert mine["round"]["step"] == "self" and mine["round"]["branch"] == "B1"
    assert mine["self_evaluation"] is None and mine["self_evaluation_open"] is True
    assert mine["peers"] == [] and mine["can_vote"] is False and mine["voted"] is False
    # a user without a member has no evaluation of their own
    assert bearer(d.sec1).get("/api/me/evaluation/2026").status_code == 404
    assert member.get("/api/me/evaluation/99999").status_code == 422


def test_self_evaluation_draft_then_submit(district):
    d = district
    round_ = open_round(d)
    member = bearer(d.member1)
    url = "/api/me/evaluation/2026/self-evaluation"
    draft = send(member, "PUT", url, {"problems": "学习不够"})
    assert draft.status_code == 200, draft.content
    assert draft.json()["status"] == "draft" and draft.json()["submitted_at"] is None
    refused = send(member, "PUT", url, {"problems": "学习不够", "submit": True})
    assert refused.status_code == 422 and "提交前" in refused.json()["detail"]
    done = send(member, "PUT", url, TEXTS | {"submit": True})
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    again = send(member, "PUT", url, TEXTS)
    assert again.status_code == 422 and "已提交" in again.json()["detail"]
    row = SelfEvaluation.objects.get(round=round_, member=d.m1)
    assert (row.problems, row.status) == ("学习不够", "submitted")
    mine = member.get("/api/me/evaluation/2026").json()
    assert mine["self_evaluation"]["measures"] == "每周学习"
    assert mine["self_evaluation_open"] is False
    # bad input names the field; another branch's member writes in their own round only
    assert "problems" in invalid(member, "PUT", url, {"problems": "a\x00b"})
    assert_statuses("PUT", url, {d.sec1: 404, d.member2: 404}, TEXTS)


def test_self_evaluation_page_and_api_end_in_the_same_state(district):
    d = district
    branch_of(d, 3)
    round_ = open_round(d)
    page = session(d.member1).post("/eval/2026/self/", TEXTS | {"submit": "1"})
    assert page.status_code == 302
    answer = send(
        bearer(d.m1b.user),
        "PUT",
        "/api/me/evaluation/2026/self-evaluation",
        TEXTS | {"submit": True},
    )
    assert answer.status_code == 200
    rows = SelfEvaluation.objects.filter(round=round_).order_by("member__code")
    fields = [(r.problems, r.causes, r.measures, r.status) for r in rows]
    assert len(fields) == 2 and fields[0] == fields[1]


def test_peer_comments(district):
    d = district
    branch_of(d, 3)
    round_ = open_round(d, anonymous_peer=True)
    member = bearer(d.member1)
    url = "/api/me/evaluation/2026/peer-comments/M1B"
    early = send(member, "PUT", url, {"strengths": "认真"})
    assert early.status_code == 422 and "环节" in early.json()["detail"]
    round_ = round_advance(actor=d.sec1, round_=round_)
    mine = member.get("/api/me/evaluation/2026").json()
    assert [p["member"] for p in mine["peers"]] == ["B1-00", "M1B"]
    assert not any(p["done"] for p in mine["peers"])
    done = send(member, "PUT", url, {"strengths": "踏实肯干", "suggestions": "多发言"})
    assert done.status_code == 200, done.content
    assert done.json()["member"] == "M1B" and done.json()["strengths"] == "踏实肯干"
    peers = {p["member"]: p for p in member.get("/api/me/evaluation/2026").json()["peers"]}
    assert peers["M1B"]["done"] and peers["M1B"]["suggestions"] == "多发言"
    empty = send(member, "PUT", url, {})
    assert empty.status_code == 422 and "至少" in empty.json()["detail"]
    own = send(member, "PUT", "/api/me/evaluation/2026/peer-comments/M1", {"strengths": "好"})
    assert own.status_code == 422 and "自己" in own.json()["detail"]
    other = send(member, "PUT", "/api/me/evaluation/2026/peer-comments/M2", {"strengths": "好"})
    assert other.status_code == 404
    # the subject sees it without its author (anonymous round)
    received = bearer(d.m1b.user).get("/api/me/evaluation/2026").json()["received"]
    assert len(received) == 1 and received[0]["author"] is None
    assert received[0]["strengths"] == "踏实肯干"
    # the page writes the same row the API does
    page = session(d.member1).post(
        "/eval/2026/peer/M1B/", {"strengths": "踏实", "shortcomings": "", "suggestions": ""}
    )
    assert page.status_code == 302
    row = PeerComment.objects.get(round=round_, author=d.m1, subject=d.m1b)
    assert (row.strengths, row.suggestions) == ("踏实", "")


def _at_secretary(d):
    round_ = open_round(d)
    round_ = round_advance(actor=d.sec1, round_=round_)
    comment_on(d.member1, round_, d.m1b, strengths="认真负责")
    return round_advance(actor=d.sec1, round_=round_)


def test_secretary_comment_with_its_basis(district):
    d = district
    branch_of(d, 3)
    round_ = _at_secretary(d)
    secretary = bearer(d.sec1)
    url = "/api/branches/B1/years/2026/secretary-comments/M1B"
    basis = secretary.get(url)
    assert basis.status_code == 200, basis.content
    body = basis.json()
    assert body["comment"] is None and body["round"]["step"] == "secretary"
    assert [c["author"] for c in body["peer_comments"]] == ["M1"]
    assert body["peer_comments"][0]["strengths"] == "认真负责"
    done = send(secretary, "PUT", url, {"comment": "工作认真", "requirements": "加强学习"})
    assert done.status_code == 200, done.content
    assert done.json()["comment"]["requirements"] == "加强学习"
    row = SecretaryComment.objects.get(round=round_, member=d.m1b)
    assert row.comment == "工作认真" and row.written_by == d.sec1
    # the member reads it
    mine = bearer(d.m1b.user).get("/api/me/evaluation/2026").json()
    assert mine["secretary_comment"]["comment"] == "工作认真"
    # refusals
    assert "comment" in invalid(secretary, "PUT", url, {"requirements": "x"})
    assert "comment" in invalid(secretary, "PUT", url, {"comment": "  "})
    assert send(bearer(d.sec2), "PUT", url, {"comment": "x"}).status_code == 404
    assert bearer(d.sec2).get(url).status_code == 404
    assert_statuses("PUT", url, {d.member1: 404, d.orgdept: 403}, {"comment": "x"})
    other = "/api/branches/B1/years/2026/secretary-comments/M2"
    assert send(secretary, "PUT", other, {"comment": "x"}).status_code == 404
    # the page saves the same row
    page = session(d.sec1).post(
        "/eval/B1/2026/comment/M1B/", {"comment": "工作很认真", "requirements": ""}
    )
    assert page.status_code == 302
    row.refresh_from_db()
    assert (row.comment, row.requirements) == ("工作很认真", "")


def test_secretary_comment_outside_its_step(district):
    d = district
    open_round(d)
    answer = send(
        bearer(d.sec1),
        "PUT",
        "/api/branches/B1/years/2026/secretary-comments/M1",
        {"comment": "工作认真"},
    )
    assert answer.status_code == 422 and "环节" in answer.json()["detail"]
    assert (
        bearer(d.sec1).get("/api/branches/B1/years/2027/secretary-comments/M1").status_code == 404
    )
