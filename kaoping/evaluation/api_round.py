"""A branch's round of the democratic evaluation in the API (issue 20): its state as on
the round page (``evaluation:round``), opening it (``evaluation:round_open``), its
irreversible steps with their consequences first (``evaluation:round_action``), starting
the online vote with its scrutineers (``evaluation:vote_open``), what a branch does when
shares are lost (``evaluation:rerun``, ``evaluation:to_paper``), and the recount of the
anonymous ballots (``evaluation:recount``). The same selectors, services and permission
checks as ``views.py`` and ``vote_views.py``.

The scrutineers' shares are answered once, never cached and never kept: these writes
refuse an ``Idempotency-Key`` (a kept answer would store the shares, decision 30)."""

import datetime
from typing import Annotated, Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import StringConstraints

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS, scheme_of_year
from kaoping.api.errors import ApiError
from kaoping.api.idempotency import HEADER
from kaoping.api.schemas import Code, Text, Year
from kaoping.orgs.selectors import branch_for_staff, scope_for

from . import box, counting, selectors, services
from .api_steps import RoundBriefOut, round_brief
from .models import EvaluationRound, VoteCount

router = Router(tags=["evaluation"])

READ = READ_ERRORS
WRITE = WRITE_ERRORS
Reason = Annotated[Text, StringConstraints(min_length=1, max_length=counting.MAX_REASON)]
Scrutineers = Annotated[
    list[Code], Field(min_length=counting.MIN_SCRUTINEERS, max_length=counting.MAX_SCRUTINEERS)
]


class ProgressOut(Schema):
    """Who has done what (the branch's readers): ``voted`` is turnout, never a ballot
    (None: not on the voter list)."""

    member: str
    name: str
    self_status: str | None  # draft / submitted / None (not started)
    peers_given: int
    peers_received: int
    commented: bool
    voted: bool | None


class TurnoutOut(Schema):
    voters: int
    used: int
    ballots: int


class ScrutineerOut(Schema):
    member: str
    name: str
    position: int
    took_part: bool


class PaperStatusOut(Schema):
    status: Literal["waiting", "match", "mismatch"]
    differing: list[str]  # the members whose two entries differ


class RoundStateOut(Schema):
    """A branch's round as on its page: None before it is opened (``can_manage``: the
    user may open it). ``totals`` only once published; ``paper`` for a paper vote."""

    branch: str
    year: int
    can_manage: bool
    round: RoundBriefOut | None
    progress: list[ProgressOut]
    turnout: TurnoutOut | None
    scrutineers: list[ScrutineerOut]
    counted: bool
    paper: PaperStatusOut | None
    totals: dict[str, dict[str, int]] | None


class RoundOpenIn(Schema):
    vote_method: EvaluationRound.VoteMethod = EvaluationRound.VoteMethod.ONLINE
    anonymous_peer: bool = False
    self_deadline: datetime.date | None = None
    peer_deadline: datetime.date | None = None
    secretary_deadline: datetime.date | None = None
    vote_deadline: datetime.date | None = None


class RoundActionIn(Schema):
    # advance: end the current step (self → peer → secretary; a paper vote's secretary →
    # vote); close: close the vote; publish: publish its totals (→ determination)
    action: Literal["advance", "close", "publish"]
    confirm: bool = False


class ConsequencesOut(Schema):
    lines: list[str]
    names: list[str]  # who has not done the step (never who has not voted)
    names_label: str
    refusal: str | None  # why it would be refused now (a turnout below the minimum)


class RoundActionOut(Schema):
    """Without ``confirm``: ``consequences``, nothing done. With it: ``done``."""

    action: str
    done: bool
    consequences: ConsequencesOut | None
    round: RoundBriefOut


class VoteOpenIn(Schema):
    scrutineers: Scrutineers  # 2 or 3 members on the voter list


class RerunIn(Schema):
    reason: Reason
    scrutineers: Scrutineers


class ReasonIn(Schema):
    reason: Reason


class ShareOut(Schema):
    member: str
    name: str
    position: int
    share: str


class SharesOut(Schema):
    """The scrutineers' shares, answered this once and kept nowhere: hand each slip to its
    scrutineer (any two count the vote)."""

    round: RoundBriefOut
    shares: list[ShareOut]


class RecountOut(Schema):
    agrees: bool
    ballots: int
    invalid: int
    totals: dict[str, dict[str, int]]
    differences: list[str]


def _state(actor, branch, year: int) -> dict:
    round_ = selectors.round_of(branch=branch, year=year)
    out = {
        "branch": branch.code,
        "year": year,
        "can_manage": scope_for(actor).manages(branch.path),
        "round": None,
        "progress": [],
        "turnout": None,
        "scrutineers": [],
        "counted": False,
        "paper": None,
        "totals": None,
    }
    if round_ is None:
        return out
    paper = None
    if round_.vote_method == EvaluationRound.VoteMethod.PAPER:
        status, differing = selectors.paper_tally_status(round_)
        paper = {"status": status, "differing": differing}
    return out | {
        "round": round_brief(round_),
        "progress": [
            {
                "member": r.member.code,
                "name": r.member.name,
                "self_status": r.self_status,
                "peers_given": r.peers_given,
                "peers_received": r.peers_received,
                "commented": r.commented,
                "voted": r.voted,
            }
            for r in selectors.round_progress(actor=actor, round_=round_)
        ],
        "turnout": selectors.turnout(round_=round_),
        "scrutineers": [
            {
                "member": s.member.code,
                "name": s.member.name,
                "position": s.position,
                "took_part": s.took_part,
            }
            for s in round_.scrutineers.select_related("member").order_by("position")
        ],
        "counted": VoteCount.objects.filter(round=round_).exists(),
        "paper": paper,
        "totals": selectors.vote_totals(actor=actor, round_=round_),
    }


def _officer_round(request: AuthedRequest, code: str, year: int) -> EvaluationRound:
    return selectors.round_for_staff(actor=request.auth, code=code, year=year, manage=True)


def shown_once(request: AuthedRequest, response: HttpResponse) -> None:
    """An answer shown once (shares, paper codes): never cached, and refused with an
    ``Idempotency-Key``, whose kept answer would store it."""
    if request.headers.get(HEADER) is not None:
        message = _("这项操作的结果只显示一次，不保存，不能使用 Idempotency-Key。")
        raise ApiError(422, "idempotency_key_refused", message, {HEADER: [message]})
    response["Cache-Control"] = "no-store"


def _shares(round_: EvaluationRound, slips) -> dict:
    return {
        "round": round_brief(round_),
        "shares": [
            {
                "member": s.member.code,
                "name": s.member.name,
                "position": s.position,
                "share": s.share,
            }
            for s in slips
        ],
    }


@router.get("/branches/{code}/years/{year}/evaluation", response={200: RoundStateOut, **READ})
def round_state(request: AuthedRequest, code: Code, year: Year):
    """The branch's round of the year (the branch's officers and readers; 404 otherwise,
    or when the year has no scheme): its step and vote, who has done what, turnout, the
    scrutineers, the paper entries' agreement and, once published, the totals."""
    branch = branch_for_staff(actor=request.auth, code=code)
    scheme_of_year(year)
    return _state(request.auth, branch, year)


@router.post("/branches/{code}/years/{year}/evaluation", response={201: RoundStateOut, **WRITE})
def round_open(request: AuthedRequest, code: Code, year: Year, payload: RoundOpenIn):
    """Open the year's democratic evaluation of the branch (its officers): the members are
    told to write their self-evaluation. 422 when already open, or the year is final."""
    branch = branch_for_staff(actor=request.auth, code=code, manage=True)
    scheme_of_year(year)
    services.round_open(actor=request.auth, branch=branch, year=year, **payload.model_dump())
    return 201, _state(request.auth, branch, year)


@router.post(
    "/branches/{code}/years/{year}/evaluation/actions", response={200: RoundActionOut, **WRITE}
)
def round_action(request: AuthedRequest, code: Code, year: Year, payload: RoundActionIn):
    """An irreversible step of the round, as the page does it in two steps: without
    ``confirm`` the answer is its consequences (who has not done the step, the turnout
    and why closing would be refused), nothing changes; with ``confirm`` it is done.
    ``advance`` ends the current step (an online vote starts with ``vote-open``);
    ``close`` closes the vote; ``publish`` publishes its totals. 422 when the round is
    not at a step that allows it."""
    actor = request.auth
    round_ = _officer_round(request, code, year)
    if not payload.confirm:
        found = selectors.ROUND_ACTION_CONSEQUENCES[payload.action](actor=actor, round_=round_)
        consequences = {
            "lines": [str(line) for line in found.lines],
            "names": found.names,
            "names_label": str(found.names_label),
            "refusal": found.refusal,
        }
        return {
            "action": payload.action,
            "done": False,
            "consequences": consequences,
            "round": round_brief(round_),
        }
    after = services.ROUND_ACTIONS[payload.action](actor=actor, round_=round_)
    return {
        "action": payload.action,
        "done": True,
        "consequences": None,
        "round": round_brief(after),
    }


@router.post(
    "/branches/{code}/years/{year}/evaluation/vote-open", response={200: SharesOut, **WRITE}
)
def vote_open(
    request: AuthedRequest, response: HttpResponse, code: Code, year: Year, payload: VoteOpenIn
):
    """Start the online vote at the end of the secretary's step: the voter list is frozen,
    the 2 or 3 ``scrutineers`` (members on it) named, and the vote's key made; the answer
    holds their shares, once (never cached; an ``Idempotency-Key`` is refused). 422 for a
    paper vote, at another step, or scrutineers not on the voter list."""
    shown_once(request, response)
    round_ = _officer_round(request, code, year)
    members = selectors.round_members_by_codes(round_, payload.scrutineers, field="scrutineers")
    round_, slips = counting.vote_open(actor=request.auth, round_=round_, scrutineers=members)
    return _shares(round_, slips)


@router.post("/branches/{code}/years/{year}/evaluation/rerun", response={200: SharesOut, **WRITE})
def vote_rerun(
    request: AuthedRequest, response: HttpResponse, code: Code, year: Year, payload: RerunIn
):
    """Re-run the online vote (shares lost): the sealed ballots are discarded unread, every
    voter votes again, new scrutineers and key; the decision and its ``reason`` are
    audited. The answer holds the new shares, once (as ``vote-open``). 422 once counted."""
    shown_once(request, response)
    round_ = _officer_round(request, code, year)
    members = selectors.round_members_by_codes(round_, payload.scrutineers, field="scrutineers")
    round_, slips = counting.vote_rerun(
        actor=request.auth, round_=round_, reason=payload.reason, scrutineers=members
    )
    return _shares(round_, slips)


@router.post(
    "/branches/{code}/years/{year}/evaluation/to-paper", response={200: RoundBriefOut, **WRITE}
)
def vote_to_paper(request: AuthedRequest, code: Code, year: Year, payload: ReasonIn):
    """Fall back to paper ballots (shares lost): the sealed ballots are discarded unread,
    the counts are then entered twice (``paper-tally``); the decision and its ``reason``
    are audited. 422 once counted, or for a vote that is not online."""
    round_ = _officer_round(request, code, year)
    return round_brief(
        counting.vote_to_paper(actor=request.auth, round_=round_, reason=payload.reason)
    )


@router.post("/branches/{code}/years/{year}/recount", response={200: RecountOut, **WRITE})
def recount(request: AuthedRequest, code: Code, year: Year):
    """Count the anonymous counted ballots again and compare with the count and, once
    published, the totals (every member of the branch and its readers, as the ballot
    box). 422 before counting."""
    round_ = box.round_for_box(actor=request.auth, code=code, year=year)
    found = box.recount(round_=round_)
    return {
        "agrees": found.agrees,
        "ballots": found.ballots,
        "invalid": found.invalid,
        "totals": found.totals,
        "differences": [str(d) for d in found.differences],
    }
