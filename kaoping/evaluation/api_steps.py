"""The steps before the vote in the API (issue 20): what a member must still do in the
year's democratic evaluation (``evaluation:mine``), their self-evaluation
(``evaluation:self``), their peer comments (``evaluation:peer``), and the secretary's
comment on a member with what it is written from (``evaluation:comment``). The same
selectors, services and permission checks as ``views.py``."""

import datetime

from ninja import Router, Schema

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS
from kaoping.api.schemas import Code, Text, Year
from kaoping.orgs.selectors import own_member

from . import selectors, services
from .models import EvaluationRound, PeerComment, SecretaryComment, SelfEvaluation

router = Router(tags=["evaluation"])

READ = READ_ERRORS
WRITE = WRITE_ERRORS


class RoundBriefOut(Schema):
    """Where a round stands: its step (self / peer / secretary / vote / determination),
    how it votes (online / paper) and the vote's state (not_open / open / closed /
    counted / published), and the steps' deadlines."""

    branch: str
    year: int
    step: str
    vote_method: str
    vote_state: str
    anonymous_peer: bool
    self_deadline: datetime.date | None
    peer_deadline: datetime.date | None
    secretary_deadline: datetime.date | None
    vote_deadline: datetime.date | None


class SelfEvaluationOut(Schema):
    problems: str
    causes: str
    measures: str
    status: str  # draft / submitted
    updated_at: datetime.datetime
    submitted_at: datetime.datetime | None


class PeerTaskOut(Schema):
    """A member to comment on, and what the user wrote (empty texts: not yet)."""

    member: str
    name: str
    done: bool
    strengths: str
    shortcomings: str
    suggestions: str


class ReceivedOut(Schema):
    """A peer comment the user received; its author is None when the round's peer
    comments are anonymous."""

    author: str | None
    author_name: str | None
    strengths: str
    shortcomings: str
    suggestions: str
    updated_at: datetime.datetime


class SecretaryCommentOut(Schema):
    comment: str
    requirements: str
    updated_at: datetime.datetime


class MyEvaluationOut(Schema):
    """The user's part of the year's evaluation, as on "我的民主评议": ``round`` is None
    before the branch opens one. To do: ``self_evaluation_open`` (the self-evaluation may
    be saved or submitted now), ``peers`` (during the peer comments: every other member,
    ``done`` once commented), ``can_vote`` (cast at ``/api/me/evaluation/{year}/ballot``
    or on the page).
    Received: the peer comments and the secretary's comment on the user."""

    year: int
    member: str
    round: RoundBriefOut | None
    self_evaluation: SelfEvaluationOut | None
    self_evaluation_open: bool
    peers: list[PeerTaskOut]
    can_vote: bool
    voted: bool
    received: list[ReceivedOut]
    secretary_comment: SecretaryCommentOut | None


class SelfEvaluationIn(Schema):
    problems: Text = ""
    causes: Text = ""
    measures: Text = ""
    # False: a draft, changed later; True: submitted (all three filled), then final
    submit: bool = False


class PeerCommentIn(Schema):
    strengths: Text = ""
    shortcomings: Text = ""
    suggestions: Text = ""


class PeerCommentOut(PeerCommentIn):
    member: str
    name: str
    updated_at: datetime.datetime


class SecretaryCommentIn(Schema):
    comment: Text
    requirements: Text = ""


class BasisCommentOut(Schema):
    author: str | None  # None when the round's peer comments are anonymous
    author_name: str | None
    strengths: str
    shortcomings: str
    suggestions: str
    updated_at: datetime.datetime


class CommentPageOut(Schema):
    """The secretary's comment on a member and what it is written from (书记根据党员自评
    情况和现实表现情况点评): the member's self-evaluation and the peer comments received."""

    member: str
    name: str
    round: RoundBriefOut
    comment: SecretaryCommentOut | None
    self_evaluation: SelfEvaluationOut | None
    peer_comments: list[BasisCommentOut]


def round_brief(round_: EvaluationRound) -> dict:
    return {
        "branch": round_.branch.code,
        "year": round_.year,
        "step": round_.step,
        "vote_method": round_.vote_method,
        "vote_state": round_.vote_state,
        "anonymous_peer": round_.anonymous_peer,
        "self_deadline": round_.self_deadline,
        "peer_deadline": round_.peer_deadline,
        "secretary_deadline": round_.secretary_deadline,
        "vote_deadline": round_.vote_deadline,
    }


def _self_out(evaluation: SelfEvaluation | None) -> dict | None:
    if evaluation is None:
        return None
    return {
        "problems": evaluation.problems,
        "causes": evaluation.causes,
        "measures": evaluation.measures,
        "status": evaluation.status,
        "updated_at": evaluation.updated_at,
        "submitted_at": evaluation.submitted_at,
    }


def _secretary_out(row: SecretaryComment | None) -> dict | None:
    if row is None:
        return None
    return {"comment": row.comment, "requirements": row.requirements, "updated_at": row.updated_at}


def _peer_out(c: PeerComment, *, shown: bool) -> dict:
    return {
        "author": c.author.code if shown else None,
        "author_name": c.author.name if shown else None,
        "strengths": c.strengths,
        "shortcomings": c.shortcomings,
        "suggestions": c.suggestions,
        "updated_at": c.updated_at,
    }


@router.get("/me/evaluation/{year}", response={200: MyEvaluationOut, **READ})
def my_evaluation(request: AuthedRequest, year: Year):
    """The user's own tasks in the year's democratic evaluation and what they received
    (404 for a user without a member)."""
    actor = request.auth
    member = own_member(actor=actor)
    tasks = selectors.member_tasks(actor=actor, member=member, year=year)
    round_ = tasks.round
    out = {
        "year": year,
        "member": member.code,
        "round": round_brief(round_) if round_ is not None else None,
        "self_evaluation": _self_out(tasks.self_evaluation),
        "self_evaluation_open": False,
        "peers": [],
        "can_vote": tasks.can_vote,
        "voted": tasks.voted,
        "received": [],
        "secretary_comment": _secretary_out(tasks.secretary_comment),
    }
    if round_ is None:
        return out
    current = tasks.self_evaluation
    out["self_evaluation_open"] = round_.step == EvaluationRound.Step.SELF and (
        current is None or current.status != SelfEvaluation.Status.SUBMITTED
    )
    written = selectors.peer_comments_by(round_=round_, author=member)
    out["peers"] = [
        {
            "member": m.code,
            "name": m.name,
            "done": m.pk in tasks.peers_done,
            "strengths": written[m.pk].strengths if m.pk in written else "",
            "shortcomings": written[m.pk].shortcomings if m.pk in written else "",
            "suggestions": written[m.pk].suggestions if m.pk in written else "",
        }
        for m in tasks.peers_to_comment
    ]
    out["received"] = [_peer_out(c, shown=not round_.anonymous_peer) for c in tasks.received]
    return out


@router.put("/me/evaluation/{year}/self-evaluation", response={200: SelfEvaluationOut, **WRITE})
def my_self_evaluation_save(request: AuthedRequest, year: Year, payload: SelfEvaluationIn):
    """党员自评: save the user's self-evaluation as a draft, or submit it (``submit``: the
    three texts filled in; no change after). 422 outside the self-evaluation step or past
    its deadline, once submitted, or when submitting with a text missing; 404 without a
    member or a round."""
    _member, round_ = selectors.own_round(actor=request.auth, year=year)
    evaluation = services.self_evaluation_save(
        actor=request.auth, round_=round_, **payload.model_dump()
    )
    return _self_out(evaluation)


@router.put("/me/evaluation/{year}/peer-comments/{member}", response={200: PeerCommentOut, **WRITE})
def my_peer_comment_save(request: AuthedRequest, year: Year, member: Code, payload: PeerCommentIn):
    """党员互评: write (or rewrite) the user's comment on ``member`` of their branch, at
    least one text filled in. 422 outside the peer step or past its deadline, on oneself,
    or on a member not under evaluation; 404 for a member of another branch."""
    _author, round_ = selectors.own_round(actor=request.auth, year=year)
    subject = selectors.round_member_by_code(round_, member)
    comment = services.peer_comment_save(
        actor=request.auth, round_=round_, subject=subject, **payload.model_dump()
    )
    return {
        "member": subject.code,
        "name": subject.name,
        "strengths": comment.strengths,
        "shortcomings": comment.shortcomings,
        "suggestions": comment.suggestions,
        "updated_at": comment.updated_at,
    }


def _comment_page(actor, round_: EvaluationRound, member) -> dict:
    basis = selectors.comment_basis(actor=actor, round_=round_, member=member)
    current = SecretaryComment.objects.filter(round=round_, member=member).first()
    return {
        "member": member.code,
        "name": member.name,
        "round": round_brief(round_),
        "comment": _secretary_out(current),
        "self_evaluation": _self_out(basis.self_evaluation),
        "peer_comments": [_peer_out(c, shown=basis.authors_shown) for c in basis.peer_comments],
    }


@router.get(
    "/branches/{code}/years/{year}/secretary-comments/{member}",
    response={200: CommentPageOut, **READ},
)
def secretary_comment_detail(request: AuthedRequest, code: Code, year: Year, member: Code):
    """The secretary's comment on a member of the branch (None before it is written) with
    the member's self-evaluation and the peer comments received: the branch's officers
    (404 for others)."""
    actor = request.auth
    round_ = selectors.round_for_staff(actor=actor, code=code, year=year, manage=True)
    subject = selectors.comment_subject(actor=actor, round_=round_, code=member)
    return _comment_page(actor, round_, subject)


@router.put(
    "/branches/{code}/years/{year}/secretary-comments/{member}",
    response={200: CommentPageOut, **WRITE},
)
def secretary_comment_put(
    request: AuthedRequest, code: Code, year: Year, member: Code, payload: SecretaryCommentIn
):
    """书记点评: write (or rewrite) the comment on a member of the branch, with the
    requirements for correction; the member is told. The branch's officers; 422 outside
    the secretary's step or past its deadline, or without a comment."""
    actor = request.auth
    round_ = selectors.round_for_staff(actor=actor, code=code, year=year, manage=True)
    subject = selectors.comment_subject(actor=actor, round_=round_, code=member)
    services.secretary_comment_save(
        actor=actor, round_=round_, member=subject, **payload.model_dump()
    )
    return _comment_page(actor, round_, subject)
