"""Paper ballots in the API (issue 20): one-time voting codes for the meeting room
(``evaluation:paper_codes``), one person's entry of the paper counts
(``evaluation:paper_tally``), and the counts from a spreadsheet, previewed then confirmed
(``evaluation:paper_import``, ``evaluation:paper_import_confirm``). The same selectors,
services, sheet checks and background job as the pages (``views.py``, ``imports.py``)."""

from typing import Annotated

from django.http import HttpResponse
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS, scheme_of_year
from kaoping.api.schemas import Code, ErrorOut, Year
from kaoping.jobs.api import (
    ImportCheckOut,
    ImportConfirmIn,
    JobOut,
    import_check_answer,
    import_start_answer,
)

from . import selectors, services
from .api_round import PaperStatusOut, shown_once
from .background import paper_import
from .models import EvaluationRound

router = Router(tags=["evaluation"])

READ = READ_ERRORS
WRITE = WRITE_ERRORS
Count = Annotated[int, Field(ge=0, le=1_000_000)]


class PaperCodesIn(Schema):
    # the members on the voter list present in the meeting room, who have not voted
    members: list[Code] = Field(..., min_length=1, max_length=1000)


class PaperCodesOut(Schema):
    """One code a member, in random order and tied to nobody: print them, cut them apart
    and hand them out at random; each votes once at ``/vote/code/``. Answered this once
    (never cached, never kept)."""

    codes: list[str]


class CandidateOut(Schema):
    member: str
    name: str


class PaperTallyOut(Schema):
    """The paper counts: the candidates and options, the user's own entry (None before
    they enter one), and whether two people's entries agree (they count once they do)."""

    options: list[str]
    candidates: list[CandidateOut]
    mine: dict[str, dict[str, int]] | None
    entries: int
    agreement: PaperStatusOut


class PaperTallyIn(Schema):
    # member code -> option -> count; a member or option left out counts 0
    counts: dict[Code, dict[Code, Count]]


def _officer_round(request: AuthedRequest, code: str, year: int) -> EvaluationRound:
    return selectors.round_for_staff(actor=request.auth, code=code, year=year, manage=True)


def _tally(actor, round_: EvaluationRound) -> dict:
    scheme = scheme_of_year(round_.year)
    mine = round_.paper.filter(entered_by=actor).first()
    status, differing = selectors.paper_tally_status(round_)
    return {
        "options": list(scheme.ballot_options),
        "candidates": [
            {"member": m.code, "name": m.name} for m in selectors.round_candidates(round_)
        ],
        "mine": mine.counts if mine is not None else None,
        "entries": round_.paper.count(),
        "agreement": {"status": status, "differing": differing},
    }


@router.post("/branches/{code}/years/{year}/paper-codes", response={201: PaperCodesOut, **WRITE})
def paper_codes_issue(
    request: AuthedRequest, response: HttpResponse, code: Code, year: Year, payload: PaperCodesIn
):
    """Issue one-time voting codes to ``members`` present in the meeting room (the online
    vote open): their voting rights are used now, the codes come back in random order and
    nothing records who got which. Never cached; an ``Idempotency-Key`` is refused (a kept
    answer would store the codes). 422 for a member not on the voter list or who voted."""
    shown_once(request, response)
    round_ = _officer_round(request, code, year)
    members = selectors.round_members_by_codes(round_, payload.members, field="members")
    codes = services.paper_codes_issue(actor=request.auth, round_=round_, members=members)
    return 201, {"codes": codes}


@router.get("/branches/{code}/years/{year}/paper-tally", response={200: PaperTallyOut, **READ})
def paper_tally(request: AuthedRequest, code: Code, year: Year):
    """The paper counts as the user entered them and whether the entries agree (the
    branch's officers; 404 for others)."""
    return _tally(request.auth, _officer_round(request, code, year))


@router.put("/branches/{code}/years/{year}/paper-tally", response={200: PaperTallyOut, **WRITE})
def paper_tally_enter(request: AuthedRequest, code: Code, year: Year, payload: PaperTallyIn):
    """Enter (or correct) the user's own count of the paper ballots: two people enter them
    independently and they count once they agree (``agreement``). 422 for a vote that is
    not on paper or not open, a member not under evaluation, an option not in the
    scheme."""
    round_ = _officer_round(request, code, year)
    services.paper_tally_enter(actor=request.auth, round_=round_, counts=payload.counts)
    return _tally(request.auth, round_)


@router.post(
    "/branches/{code}/years/{year}/paper-tally/import",
    response={200: ImportCheckOut, 202: ImportCheckOut, **WRITE},
)
def paper_import_preview(request: AuthedRequest, code: Code, year: Year, file: File[UploadedFile]):
    """Check a spreadsheet of paper counts (multipart ``file``: .xlsx from the page's
    template, at most the upload limit) without entering anything: 200 with the row
    errors, and a ``token`` when there are none. 422 on ``file`` for a file too large, not
    .xlsx, or not a readable workbook; 202 with ``job`` for a sheet checked in the
    background (its result holds the token)."""
    round_ = _officer_round(request, code, year)
    return import_check_answer(
        actor=request.auth,
        spec=paper_import(round_),
        target=round_,
        key=_key(round_),
        upload=file,
        confirm_url=f"/api/branches/{round_.branch.code}/years/{year}/paper-tally/import/confirm",
    )


@router.post(
    "/branches/{code}/years/{year}/paper-tally/import/confirm",
    response={202: JobOut, 409: ErrorOut, **WRITE},
)
def paper_import_confirm(request: AuthedRequest, code: Code, year: Year, payload: ImportConfirmIn):
    """Confirm a preview (its ``token``): a background job checks the stored sheet again
    and enters every count or none, as the user's own entry. Confirmed once: again, 409
    naming the job the first confirmation started. 404 for a token that is unknown,
    expired or of another round."""
    round_ = _officer_round(request, code, year)
    return import_start_answer(
        actor=request.auth, spec=paper_import(round_), key=_key(round_), token=payload.token
    )


def _key(round_: EvaluationRound) -> str:
    return f"{round_.branch.code}/{round_.year}"
