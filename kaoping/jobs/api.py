"""Background jobs (后台任务) in the API: my jobs, one job's progress and result, its file;
and what every spreadsheet import shares (``import_check_answer``, ``import_start_answer``):
upload → every row checked, nothing written → confirm with the token once → a job imports
every row or none. The page does the same through ``imports.import_preview`` /
``import_confirm``; both call ``import_upload_check`` and ``import_start``."""

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS
from kaoping.api.errors import ApiError
from kaoping.api.pagination import Cursor
from kaoping.api.schemas import Code, ErrorOut
from kaoping.ops.files import file_answer

from . import selectors
from .imports import SheetImport, import_start, import_upload_check
from .models import JobRun
from .services import AlreadyConfirmed

router = Router(tags=["jobs"])

JobState = Literal["queued", "running", "done", "failed"]


class JobOut(Schema):
    id: int
    kind: str
    title: str
    organization: str | None
    state: str  # queued / running / done / failed
    done: int
    total: int
    percent: int
    message: str  # the progress, or the summary once finished
    result: dict[str, Any]  # the summary's figures, or the row errors of a failed import
    file: str | None  # the API path of the result file, when there is one
    created_at: datetime.datetime
    finished_at: datetime.datetime | None

    @staticmethod
    def resolve_id(obj: JobRun) -> int:
        return obj.pk

    @staticmethod
    def resolve_organization(obj: JobRun) -> str | None:
        return obj.organization.code if obj.organization is not None else None

    @staticmethod
    def resolve_file(obj: JobRun) -> str | None:
        return f"/api/jobs/{obj.pk}/file" if obj.result_file else None


@router.get("/jobs", response={200: list[JobOut], **READ_ERRORS})
@paginate(Cursor)
def jobs(request: AuthedRequest, state: JobState | None = None):
    """My background jobs, newest first (a committee admin: also those of the
    organisations they administer)."""
    qs = selectors.jobs_visible(actor=request.auth)
    if state is not None:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-id")


@router.get("/jobs/{id}", response={200: JobOut, **READ_ERRORS})
def job(request: AuthedRequest, id: int):  # noqa: A002 - the path's name
    """One job: poll it until ``state`` is done or failed."""
    return selectors.job_access_by_id(actor=request.auth, id=id)


@router.get("/jobs/{id}/file", response={200: None, **READ_ERRORS})
def job_file(request: AuthedRequest, id: int):  # noqa: A002 - the path's name
    """The job's result file (an export), as an attachment."""
    result, filename = selectors.job_result_file(actor=request.auth, id=id)
    return file_answer(result, as_attachment=True, filename=filename)


# --------------------------------------------------------------------------- imports


class RowErrorOut(Schema):
    row: int  # the spreadsheet's row (1 is the header)
    column: str  # the column's header ("" for the row as a whole)
    message: str


class ImportCheckOut(Schema):
    """An upload checked: with no errors, ``token`` confirms it (once, within the hour);
    with errors nothing can be confirmed. A large file is checked by ``job`` instead: its
    result holds the token when the check passes."""

    rows: int
    errors: list[RowErrorOut]
    outlook: str  # what confirming will do
    token: str | None
    job: JobOut | None


class ImportConfirmIn(Schema):
    token: str = Field(..., min_length=1, max_length=1000)


def import_check_answer(
    *, actor, spec: SheetImport, target, key: str, upload, confirm_url: str
) -> tuple[int, dict]:
    """Check an uploaded spreadsheet as the page does: 200 with the rows' errors or the
    token, 202 with the job for a large file; a file refused as a whole is 422 on ``file``."""
    try:
        check = import_upload_check(
            actor=actor, spec=spec, target=target, key=key, upload=upload, confirm_url=confirm_url
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    if check.job is not None:
        return 202, {"rows": 0, "errors": [], "outlook": "", "token": None, "job": check.job}
    errors = [{"row": e.row, "column": e.column, "message": str(e.message)} for e in check.errors]
    return 200, {
        "rows": len(check.rows),
        "errors": errors,
        "outlook": check.outlook,
        "token": check.token or None,
        "job": None,
    }


def import_start_answer(*, actor, spec: SheetImport, key: str, token: str) -> tuple[int, JobRun]:
    """Confirm a checked upload: 202 with the job that imports it; 409 when that upload
    was confirmed already (the error names the first job), 404 for a token that is bad,
    expired or another import's."""
    try:
        started = import_start(actor=actor, spec=spec, key=key, token=token)
    except AlreadyConfirmed as exc:
        first = {"job": [str(exc.job.pk)]} if exc.job is not None else {}
        raise ApiError(
            409,
            "already_confirmed",
            _("该导入已经确认过，不会重复导入；请查看它的后台任务。"),
            first,
        ) from None
    return 202, started


def branch_import_operations(
    router: Router,
    *,
    path: str,
    spec: SheetImport,
    operation_ids: tuple[str, str],
    tags: list[str],
    check_doc: str,
) -> None:
    """Register a branch's sheet import on ``router``, as the page's two steps (the
    branch's managers, found by ``spec.target_of``): ``POST {path}`` with a multipart
    ``file`` checks it, ``POST {path}/confirm`` with the token starts the job. The
    operation ids are given, so each import keeps its own."""

    def check(request: AuthedRequest, code: Code, file: File[UploadedFile]):
        branch = spec.target_of(request.auth, code)
        return import_check_answer(
            actor=request.auth,
            spec=spec,
            target=branch,
            key=branch.code,
            upload=file,
            confirm_url="/api" + path.replace("{code}", branch.code) + "/confirm",
        )

    def confirm(request: AuthedRequest, code: Code, payload: ImportConfirmIn):
        branch = spec.target_of(request.auth, code)
        return import_start_answer(
            actor=request.auth, spec=spec, key=branch.code, token=payload.token
        )

    check.__doc__ = check_doc
    confirm.__doc__ = (
        "Import a checked spreadsheet, once: a job writes every row or none (202). A token "
        "confirmed before starts nothing (409, naming its job); one that is unknown, "
        "expired or of another branch: 404."
    )
    router.post(
        path,
        response={200: ImportCheckOut, 202: ImportCheckOut, **WRITE_ERRORS},
        operation_id=operation_ids[0],
        tags=tags,
    )(check)
    router.post(
        f"{path}/confirm",
        response={202: JobOut, 409: ErrorOut, **WRITE_ERRORS},
        operation_id=operation_ids[1],
        tags=tags,
    )(confirm)
