"""Helpers shared by the evaluation and publication tests: a branch of n members, each
with a login, and a round driven to the vote."""

from kaoping.evaluation.counting import vote_count, vote_open
from kaoping.evaluation.models import EvaluationRound, VoteRight
from kaoping.evaluation.services import (
    peer_comment_save,
    round_advance,
    round_open,
    self_evaluation_save,
)
from kaoping.orgs.services import member_link_user
from kaoping.schemes.models import Scheme
from kaoping.testing.factories import UserFactory, member_with_login


def branch_of(district, n: int = 12) -> list:
    """B1 grown to ``n`` members, every one with a login (``B1-NN`` / ``voterNN``)."""
    member_link_user(actor=None, member=district.m1b, user=UserFactory(username="member1b"))
    members = [district.m1, district.m1b]
    for i in range(n - 2):
        members.append(
            member_with_login(district.b1, f"B1-{i:02d}", f"党员{i:02d}", f"voter{i:02d}")
        )
    for m in members:
        m.refresh_from_db()
    return sorted(members, key=lambda m: m.code)


def open_round(district, **kwargs) -> EvaluationRound:
    """B1's 2026 round, opened by its secretary."""
    return round_open(actor=district.sec1, branch=district.b1, year=2026, **kwargs)


def self_evaluate(actor, round_, *, problems="", causes="", measures="", submit=False):
    """``self_evaluation_save`` with the texts not given left empty."""
    return self_evaluation_save(
        actor=actor,
        round_=round_,
        problems=problems,
        causes=causes,
        measures=measures,
        submit=submit,
    )


def comment_on(actor, round_, subject, *, strengths="", shortcomings="", suggestions=""):
    """``peer_comment_save`` with the texts not given left empty."""
    return peer_comment_save(
        actor=actor,
        round_=round_,
        subject=subject,
        strengths=strengths,
        shortcomings=shortcomings,
        suggestions=suggestions,
    )


def round_at_vote(
    district, method: str = EvaluationRound.VoteMethod.ONLINE, scrutineers=None
) -> EvaluationRound:
    """B1's 2026 round at the vote. Online, the vote is opened with scrutineers (the first
    two voters by code, unless named) and their shares are kept on ``round_.test_shares``."""
    round_ = open_round(district, vote_method=method)
    for _ in range(2):
        round_ = round_advance(actor=district.sec1, round_=round_)
    if method == EvaluationRound.VoteMethod.ONLINE:
        if scrutineers is None:
            active = district.b1.members.filter(status="active").order_by("code")
            scrutineers = list(active[:2])
        round_, slips = vote_open(actor=district.sec1, round_=round_, scrutineers=scrutineers)
        round_.test_shares = [slip.share for slip in slips]
        round_.test_slips = slips
    else:
        round_ = round_advance(actor=district.sec1, round_=round_)
    assert round_.step == EvaluationRound.Step.VOTE
    return round_


def count_votes(district, round_: EvaluationRound, shares=None):
    """Count a closed round with the shares kept by ``round_at_vote``."""
    return vote_count(actor=district.sec1, round_=round_, shares=shares or round_.test_shares[:2])


def voters(round_: EvaluationRound) -> int:
    return VoteRight.objects.filter(round=round_).count()


def any_turnout() -> None:
    """Let the 2026 vote close at any turnout, for tests about something else."""
    Scheme.objects.filter(year=2026).update(vote_min_turnout=0)
