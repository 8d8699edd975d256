"""The round and its first three steps: self-evaluation, peer comments, the secretary's
comment; order, deadlines, permissions, the progress view, anonymity."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kaoping.audit.models import AuditEvent
from kaoping.evaluation.models import EvaluationRound, PeerComment, SelfEvaluation
from kaoping.evaluation.services import round_advance, round_open, secretary_comment_save

from .support import branch_of, comment_on, open_round, self_evaluate

pytestmark = pytest.mark.django_db


def test_only_the_branch_opens_its_round_once(district):
    with pytest.raises(PermissionDenied):
        round_open(actor=district.sec2, branch=district.b1, year=2026)
    with pytest.raises(PermissionDenied):
        round_open(actor=district.member1, branch=district.b1, year=2026)
    open_round(district)
    with pytest.raises(ValidationError, match="已经开始"):
        open_round(district)
    with pytest.raises(ValidationError, match="没有考评方案"):
        round_open(actor=district.sec1, branch=district.b1, year=2031)
    assert AuditEvent.objects.filter(action="evaluation_round.open").count() == 1


def test_self_evaluation_draft_then_submit(district):
    round_ = open_round(district)
    member1 = district.member1
    self_evaluate(member1, round_, problems="学习不够", submit=False)
    with pytest.raises(ValidationError, match="提交前"):
        self_evaluate(member1, round_, problems="学习不够", submit=True)
    texts = {"problems": "学习不够", "causes": "重视不足", "measures": "每周学习"}
    done = self_evaluate(member1, round_, **texts, submit=True)
    assert done.status == SelfEvaluation.Status.SUBMITTED and done.submitted_at
    texts = {"problems": "x", "causes": "y", "measures": "z"}
    with pytest.raises(ValidationError, match="已提交"):
        self_evaluate(member1, round_, **texts, submit=True)
    with pytest.raises(PermissionDenied):  # not a member of B1
        self_evaluate(district.member2, round_, **texts, submit=False)


def test_steps_in_order_and_deadlines(district):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    round_ = open_round(district, self_deadline=yesterday)
    with pytest.raises(ValidationError, match="截止"):
        self_evaluate(district.member1, round_, submit=False)
    with pytest.raises(ValidationError, match="环节"):
        comment_on(district.member1, round_, district.m1b, strengths="认真")
    round_ = round_advance(actor=district.sec1, round_=round_)
    assert round_.step == EvaluationRound.Step.PEER
    with pytest.raises(PermissionDenied):
        round_advance(actor=district.member1, round_=round_)


def test_peer_comments_never_on_oneself_and_named_unless_anonymous(client, district):
    branch_of(district, 3)
    round_ = open_round(district, anonymous_peer=True)
    round_ = round_advance(actor=district.sec1, round_=round_)
    with pytest.raises(ValidationError, match="不能评价自己"):
        comment_on(district.member1, round_, district.m1, strengths="好")
    with pytest.raises(ValidationError, match="不在本支部"):
        comment_on(district.member1, round_, district.m2, strengths="好")
    client.force_login(district.member1)
    response = client.post(
        "/eval/2026/peer/M1B/",
        {"strengths": "踏实肯干", "shortcomings": "", "suggestions": "多发言"},
    )
    assert response.status_code == 302
    assert PeerComment.objects.get().subject == district.m1b
    client.force_login(district.m1b.user)
    page = client.get("/eval/2026/mine/").content.decode()
    received = page[page.index('id="received"') :]
    assert "踏实肯干" in received and "不署名" in received and district.m1.name not in received
    assert client.get("/eval/2026/peer/M1B/").status_code == 200  # form shows; saving refuses
    assert (
        "不能评价自己" in client.post("/eval/2026/peer/M1B/", {"strengths": "x"}).content.decode()
    )


def test_secretary_comment_and_progress_view(client, district):
    branch_of(district, 3)
    round_ = open_round(district)
    self_evaluate(district.member1, round_, problems="a", causes="b", measures="c", submit=True)
    round_ = round_advance(actor=district.sec1, round_=round_)
    comment_on(district.member1, round_, district.m1b, strengths="好")
    round_ = round_advance(actor=district.sec1, round_=round_)
    with pytest.raises(PermissionDenied):
        secretary_comment_save(
            actor=district.sec2, round_=round_, member=district.m1, comment="x", requirements=""
        )
    client.force_login(district.sec1)
    response = client.post(
        "/eval/B1/2026/comment/M1/", {"comment": "工作积极", "requirements": "加强学习"}
    )
    assert response.status_code == 302
    page = client.get("/eval/B1/2026/")
    rows = {r.member.code: r for r in page.context["progress"]}
    assert rows["M1"].self_status == "submitted" and rows["M1"].peers_given == 1
    assert rows["M1B"].peers_received == 1 and rows["M1"].commented
    assert rows["M1B"].self_status is None and not rows["M1B"].commented
    client.force_login(district.member1)
    assert "加强学习" in client.get("/eval/2026/mine/").content.decode()
    assert client.get("/eval/B1/2026/").status_code == 404  # officers only
    client.force_login(district.sec2)
    assert client.get("/eval/B1/2026/").status_code == 404


def test_open_round_through_http(client, district):
    client.force_login(district.sec1)
    assert "开始民主评议" in client.get("/eval/B1/2026/").content.decode()
    response = client.post(
        "/eval/B1/2026/open/",
        {"vote_method": "online", "self_deadline": "2099-01-01", "anonymous_peer": "on"},
    )
    assert response.status_code == 302
    round_ = EvaluationRound.objects.get()
    assert round_.anonymous_peer and round_.self_deadline == datetime.date(2099, 1, 1)
    client.force_login(district.member1)
    assert client.post("/eval/B1/2026/open/", {"vote_method": "online"}).status_code == 404
