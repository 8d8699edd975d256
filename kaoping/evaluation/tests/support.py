"""Helpers shared by the evaluation and publication tests: a branch of n members, each
with a login, and a round driven to the vote."""

from kaoping.evaluation.models import EvaluationRound
from kaoping.evaluation.services import round_advance, round_open
from kaoping.orgs.services import member_link_user
from kaoping.schemes.models import Scheme
from kaoping.testing.factories import MemberFactory, UserFactory


def branch_of(district, n: int = 12) -> list:
    """B1 grown to ``n`` members, every one with a login (``B1-NN`` / ``voterNN``)."""
    member_link_user(actor=None, member=district.m1b, user=UserFactory(username="member1b"))
    members = [district.m1, district.m1b]
    for i in range(n - 2):
        member = MemberFactory(code=f"B1-{i:02d}", name=f"党员{i:02d}", branch=district.b1)
        member_link_user(actor=None, member=member, user=UserFactory(username=f"voter{i:02d}"))
        members.append(member)
    for m in members:
        m.refresh_from_db()
    return sorted(members, key=lambda m: m.code)


def round_at_vote(district, method: str = EvaluationRound.VoteMethod.ONLINE) -> EvaluationRound:
    round_ = round_open(actor=district.sec1, branch=district.b1, year=2026, vote_method=method)
    for _ in range(3):
        round_ = round_advance(actor=district.sec1, round_=round_)
    assert round_.step == EvaluationRound.Step.VOTE
    return round_


def any_turnout() -> None:
    """Let the 2026 vote close at any turnout, for tests about something else."""
    Scheme.objects.filter(year=2026).update(vote_min_turnout=0)
