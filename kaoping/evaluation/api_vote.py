"""The sealed vote through the API (issue 17): the ballot box's receipts, counting with the
scrutineers' shares, and the anonymous counted ballots - the same services, selectors and
scope as the pages (``vote_views``)."""

from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from pydantic import StringConstraints

from kaoping.api.common import READ_ERRORS, WRITE_ERRORS
from kaoping.api.schemas import Code, Year

from . import box, counting
from .selectors import turnout

router = Router(tags=["evaluation"])

READ = READ_ERRORS
WRITE = WRITE_ERRORS
ShareText = Annotated[str, StringConstraints(max_length=80, pattern=r"^[^\x00]*$")]


class CountOut(Schema):
    counted_at: str
    ballots: int
    invalid: int
    scrutineers: list[str]  # those who took part
    totals: dict[str, dict[str, int]]


class BallotBoxOut(Schema):
    round: str
    vote_state: str
    counted: bool
    receipts: list[str]
    voters: int
    used: int
    count: CountOut | None


class CountIn(Schema):
    shares: list[ShareText] = Field(max_length=counting.MAX_SCRUTINEERS)


class BallotOut(Schema):
    valid: bool
    marks: dict[str, str] | None = None


class AnonymousBallotsOut(Schema):
    round: str
    branch: str
    year: int
    counted_at: str
    options: list[str]
    candidates: list[str]
    ballots: list[BallotOut]


def _box(request: HttpRequest, code: str, year: int):
    return box.round_for_box(actor=request.auth, code=code, year=year)


def _out(round_) -> dict:
    found = box.ballot_box(round_=round_)
    shown = turnout(round_=round_)
    count = found.count
    return {
        "round": box.round_code(round_),
        "vote_state": round_.vote_state,
        "counted": found.counted,
        "receipts": found.receipts,
        "voters": shown["voters"],
        "used": shown["used"],
        "count": None
        if count is None
        else {
            "counted_at": count.counted_at.isoformat(),
            "ballots": count.ballots,
            "invalid": count.invalid,
            "scrutineers": [s.member.name for s in found.scrutineers if s.took_part],
            "totals": count.totals,
        },
    }


@router.get("/branches/{code}/years/{year}/ballot-box", response={200: BallotBoxOut, **READ})
def ballot_box(request: HttpRequest, code: Code, year: Year):
    """The ballot box (投票箱): the receipts (hashes of the sealed ballots, or those the
    count covered), turnout, and the count once made. Members of the branch and those who
    read it."""
    return _out(_box(request, code, year))


@router.post("/branches/{code}/years/{year}/count", response={200: BallotBoxOut, **WRITE})
def count(request: HttpRequest, code: Code, year: Year, payload: CountIn):
    """Count the closed vote with the shares of at least two scrutineers (唱票计票). The
    branch's officers and the round's scrutineers."""
    round_ = box.round_for_count(actor=request.auth, code=code, year=year)
    counting.vote_count(actor=request.auth, round_=round_, shares=list(payload.shares))
    round_.refresh_from_db()
    return _out(round_)


@router.get("/branches/{code}/years/{year}/ballots", response={200: AnonymousBallotsOut, **READ})
def ballots(request: HttpRequest, code: Code, year: Year):
    """The anonymous counted ballots (shuffled, no receipts), for anyone in the branch to
    recount; 404 before counting."""
    from django.core.exceptions import ValidationError

    round_ = _box(request, code, year)
    try:
        return box.anonymous_ballots(round_=round_)
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from None
