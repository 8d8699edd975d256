"""The secretary's comment is not written blind (issue 15, item 16): its form shows the
member's self-evaluation and the peer comments received, without authors when the
round's peer comments are anonymous."""

import pytest

from kaoping.evaluation.services import round_advance

from .support import branch_of, comment_on, open_round, self_evaluate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("anonymous", [False, True])
def test_the_comment_form_shows_what_the_member_wrote_and_received(client, district, anonymous):
    members = branch_of(district, 3)
    author = next(m for m in members if m.code.startswith("B1-"))
    round_ = open_round(district, anonymous_peer=anonymous)
    wrote = {
        "problems": "理论学习不够系统",
        "causes": "工作忙放松了学习",
        "measures": "每周读书两小时",
    }
    self_evaluate(district.member1, round_, **wrote, submit=True)
    round_ = round_advance(actor=district.sec1, round_=round_)
    received = {"strengths": "踏实肯干", "shortcomings": "发言偏少", "suggestions": "多带新人"}
    comment_on(author.user, round_, district.m1, **received)
    round_advance(actor=district.sec1, round_=round_)
    client.force_login(district.sec1)
    page = client.get("/eval/B1/2026/comment/M1/").content.decode()
    for text in (*wrote.values(), *received.values()):
        assert text in page
    assert (author.name in page) is not anonymous
    assert 'name="comment"' in page
