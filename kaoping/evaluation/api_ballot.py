"""Casting one's own secret ballot (无记名投票) through the API (issue 20), with the page's
secrecy: the same service (``services.ballot_cast``: the right used and the sealed ballot
stored in one transaction, nothing readable tied to the voter), the marks never logged,
the answer (the receipt) never cached and never kept by the ``Idempotency-Key`` store,
which is refused here as on the other once-only answers. The receipt is then found in the
branch's ballot box (``GET …/ballot-box``). Meeting-room voting with a paper code stays
on its page, which needs no login."""

from typing import Annotated

from django.http import HttpResponse
from ninja import Field, Router, Schema

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS, scheme_of_year
from kaoping.api.schemas import Code, Year

from . import selectors, services
from .api_round import shown_once

router = Router(tags=["evaluation"])

Option = Annotated[str, Field(max_length=32, pattern=r"^[a-z_]*$")]


class CandidateOut(Schema):
    member: str
    name: str


class BallotFormOut(Schema):
    """What the ballot asks: each candidate marked with one of ``options`` (or left
    blank); ``voted`` once the user's right is used."""

    year: int
    options: list[str]
    candidates: list[CandidateOut]
    voted: bool


class BallotIn(Schema):
    # candidate's member code -> option ("" or left out: no mark)
    marks: dict[Code, Option] = Field(..., max_length=1000)


class ReceiptOut(Schema):
    receipt: str  # find it in the branch's ballot box; it says nothing of the marks


@router.get("/me/evaluation/{year}/ballot", response={200: BallotFormOut, **READ_ERRORS})
def my_ballot(request: AuthedRequest, year: Year):
    """The ballot of the user's branch for the year (404 without a round)."""
    member, round_ = selectors.own_round(actor=request.auth, year=year)
    return {
        "year": year,
        "options": list(scheme_of_year(year).ballot_options),
        "candidates": [
            {"member": m.code, "name": m.name} for m in selectors.round_candidates(round_)
        ],
        "voted": selectors.has_voted(member=member, round_=round_),
    }


@router.post("/me/evaluation/{year}/ballot", response={201: ReceiptOut, **WRITE_ERRORS})
def my_ballot_cast(request: AuthedRequest, response: HttpResponse, year: Year, payload: BallotIn):
    """Cast the user's one ballot while the online vote is open: 201 with the receipt;
    422 when not on the voter list, voted already, the vote not open, or a mark that is not
    a candidate or an option of the year's scheme. Never cached; an ``Idempotency-Key`` is
    refused (a kept answer would tie the receipt to the voter)."""
    shown_once(request, response)
    _member, round_ = selectors.own_round(actor=request.auth, year=year)
    receipt = services.ballot_cast(actor=request.auth, round_=round_, marks=payload.marks)
    return 201, {"receipt": receipt}
