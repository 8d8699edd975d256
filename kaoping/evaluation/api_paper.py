"""Paper ballots in the API (issue 20): one-time voting codes for the meeting room
(``evaluation:paper_codes``), one person's entry of the paper counts
(``evaluation:paper_tally``), and the counts from a spreadsheet, previewed then confirmed
(``evaluation:paper_import``, ``evaluation:paper_import_confirm``). The same selectors,
services, sheet checks and background job as the pages (``views.py``, ``imports.py``)."""

import uuid
from typing import Annotated

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS, scheme_of_year
from kaoping.api.schemas import Code, Year
from kaoping.jobs import imports as sheet_imports
from kaoping.jobs.models import JobRun
from kaoping.jobs.services import AlreadyConfirmed, job_start

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


class RowErrorOut(Schema):
    row: int  # the spreadsheet's row (1 is the header)
    column: str
    message: str


class PaperPreviewOut(Schema):
    """The checked sheet: every row read, the errors by row and column; ``token`` (good
    for an hour) confirms it when nothing is wrong. A sheet larger than the inline preview
    is checked by a background job instead (``job``; its page offers the confirmation)."""

    rows: int
    errors: list[RowErrorOut]
    token: str | None
    job: int | None = None


class ConfirmIn(Schema):
    token: str = Field(..., min_length=1, max_length=1000)


class JobOut(Schema):
    """The import's background job: ``done`` (every count entered) or ``failed`` (none,
    with the row errors); queued or running until a worker has run it (its page
    ``url`` shows the progress). ``already_confirmed``: this preview was confirmed before,
    this is the job it started."""

    job: int
    state: str
    message: str
    errors: list[RowErrorOut]
    url: str
    already_confirmed: bool


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


def _row_errors(errors) -> list[dict]:
    return [{"row": e.row, "column": e.column, "message": str(e.message)} for e in errors]


@router.post(
    "/branches/{code}/years/{year}/paper-tally/import",
    response={200: PaperPreviewOut, 202: PaperPreviewOut, **WRITE},
)
def paper_import_preview(request: AuthedRequest, code: Code, year: Year, file: File[UploadedFile]):
    """Check a spreadsheet of paper counts (multipart ``file``: .xlsx from the page's
    template, at most the upload limit) without entering anything: 200 with the row
    errors, and a ``token`` when there are none. 422 on ``file`` for a file too large, not
    .xlsx, or not a readable workbook; 202 with ``job`` for a sheet checked in the
    background."""
    actor = request.auth
    round_ = _officer_round(request, code, year)
    spec = paper_import(round_)
    key = f"{round_.branch.code}/{round_.year}"
    try:
        sheet_imports.upload_clean(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    sheet_imports.import_uploads_prune()
    name = default_storage.save(f"{sheet_imports.UPLOADS}/{uuid.uuid4().hex}.xlsx", file)
    if file.size > settings.KAOPING_IMPORT_INLINE_PREVIEW_BYTES:
        confirm = reverse("evaluation:paper_import_confirm", args=[round_.branch.code, year])
        job = job_start(
            actor=actor,
            kind=f"{spec.kind}_preview",
            title=_("检查：%(t)s") % {"t": spec.title},
            task=sheet_imports._task(spec),
            organization=spec.organization_of(round_),
            params={"file": name, "target": key, "preview": True, "confirm": confirm},
        )
        return 202, {"rows": 0, "errors": [], "token": None, "job": job.pk}
    with default_storage.open(name, "rb") as stored:
        rows, errors, _outlook = sheet_imports._checked(spec, actor, round_, stored, None)
    token = None
    if rows and not errors:
        token = sheet_imports._token(spec, name, key)
    else:
        default_storage.delete(name)
    if not rows and not errors:
        errors = [sheet_imports.RowError(1, "", _("表格中没有数据行。"))]
    return 200, {"rows": len(rows), "errors": _row_errors(errors), "token": token}


@router.post(
    "/branches/{code}/years/{year}/paper-tally/import/confirm",
    response={202: JobOut, **WRITE},
)
def paper_import_confirm(request: AuthedRequest, code: Code, year: Year, payload: ConfirmIn):
    """Confirm a preview (its ``token``): a background job checks the stored sheet again
    and enters every count or none, as the user's own entry. Confirmed once: again, the
    job the first confirmation started (``already_confirmed``). 404 for a token that is
    unknown, expired or of another round."""
    actor = request.auth
    round_ = _officer_round(request, code, year)
    spec = paper_import(round_)
    key = f"{round_.branch.code}/{round_.year}"
    try:
        data = signing.loads(payload.token, salt=sheet_imports.SALT, max_age=sheet_imports.MAX_AGE)
    except signing.BadSignature:
        data = None
    if not data or data.get("k") != spec.kind or data.get("t") != key:
        raise Http404(_("找不到这次导入预览，可能已过期，请重新上传。"))
    already = False
    try:
        job = job_start(
            actor=actor,
            kind=spec.kind,
            title=spec.title,
            task=sheet_imports._task(spec),
            organization=spec.organization_of(round_),
            params={"file": data["f"], "target": key},
            confirmation=f"upload:{data['f']}",
        )
    except AlreadyConfirmed as exc:
        if exc.job is None:
            raise Http404(_("找不到这次导入预览，可能已过期，请重新上传。")) from None
        job, already = exc.job, True
    job = JobRun.objects.get(pk=job.pk)
    return 202, {
        "job": job.pk,
        "state": job.state,
        "message": job.message,
        "errors": job.result.get("errors", []) if isinstance(job.result, dict) else [],
        "url": reverse("jobs:detail", args=[job.pk]),
        "already_confirmed": already,
    }
