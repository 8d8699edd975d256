"""The evaluation's list pages take a number of queries that does not grow with the
branch (no N+1): the secretary's round page and a member's own page at the peer step."""

import pytest

from kaoping.evaluation.models import EvaluationRound
from kaoping.evaluation.services import round_advance
from kaoping.evaluation.tests.support import open_round, round_at_vote, self_evaluate
from kaoping.orgs.services import member_link_user
from kaoping.testing.factories import UserFactory
from kaoping.testing.queries import branch_member_added, page_query_counts

pytestmark = pytest.mark.django_db


def _grower(district, round_: EvaluationRound, *, self_evaluations: bool):
    made = []

    def grow(n):
        for _ in range(n):
            member = branch_member_added(district, made, "评议对象")
            user = UserFactory(username=f"voter{member.code}")
            member_link_user(actor=None, member=member, user=user)
            if self_evaluations:
                texts = {"problems": "问题", "causes": "原因", "measures": "措施"}
                self_evaluate(user, round_, **texts, submit=True)

    return grow, made


def test_round_page_query_count_does_not_grow_with_members(client, district):
    round_ = open_round(district)
    grow, made = _grower(district, round_, self_evaluations=True)
    client.force_login(district.sec1)
    counts, page = page_query_counts(client, "/eval/B1/2026/", grow)
    assert counts[0] == counts[1], counts
    assert all(m.name in page for m in made)


def test_own_evaluation_page_query_count_does_not_grow_with_peers(client, district):
    round_ = open_round(district)
    round_ = round_advance(actor=district.sec1, round_=round_)
    assert round_.step == EvaluationRound.Step.PEER
    grow, made = _grower(district, round_, self_evaluations=False)
    client.force_login(district.member1)
    counts, page = page_query_counts(client, "/eval/2026/mine/", grow)
    assert counts[0] == counts[1], counts
    assert all(m.name in page for m in made)  # the peers to comment on


def test_paper_tally_form_query_count_does_not_grow_with_members(client, district):
    round_ = round_at_vote(district, method=EvaluationRound.VoteMethod.PAPER)
    grow, made = _grower(district, round_, self_evaluations=False)
    client.force_login(district.sec1)
    counts, page = page_query_counts(client, "/eval/B1/2026/paper/", grow)
    assert counts[0] == counts[1], counts
    assert all(m.name in page for m in made)
