"""The roster import (名册导入) in the API (issue 20), in the page's two steps
(``kaoping.jobs.imports``, ``background.ROSTER_IMPORT``): the upload (a multipart
``file``, .xlsx, the page's size and sheet limits) is stored and every row checked, the
answer lists the row errors, or with none a ``token``; confirming the token starts the
background job that checks every row again and imports all of them or none. A preview is
confirmed once. Both steps: the managers of the branch (404/403 as the roster page)."""

import uuid

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import WRITE_ERRORS
from kaoping.api.schemas import Code
from kaoping.jobs import imports
from kaoping.jobs.models import JobRun
from kaoping.jobs.services import AlreadyConfirmed, job_start
from kaoping.orgs.selectors import branch_for_staff

from .background import ROSTER_IMPORT

router = Router(tags=["archive"])

SPEC = ROSTER_IMPORT


class RowErrorOut(Schema):
    row: int  # the spreadsheet's row (1: the header)
    column: str  # the column's header ("" for the whole row)
    message: str


class PreviewOut(Schema):
    """``rows``: the data rows read; ``errors``: what is wrong where (nothing can be
    imported while there is one); ``token``: to confirm, when there is none; ``outlook``:
    what confirming will do. A large file is checked by a background ``job`` instead
    (``rows`` 0, no token here: its page offers the confirmation)."""

    rows: int
    errors: list[RowErrorOut]
    outlook: str
    token: str | None
    job: int | None


class ConfirmIn(Schema):
    token: str


class JobOut(Schema):
    """The import's background job (its page: ``/jobs/{job}/``): ``state`` queued,
    running, done or failed, its ``message``; ``already_confirmed`` when this preview had
    been confirmed before (nothing new is started)."""

    job: int
    state: str
    message: str
    already_confirmed: bool


def _branch(request: AuthedRequest, code: str):
    return branch_for_staff(actor=request.auth, code=code, manage=True)


@router.post("/branches/{code}/roster/import", response={200: PreviewOut, **WRITE_ERRORS})
def roster_import_preview(request: AuthedRequest, code: Code, file: File[UploadedFile]):
    """Upload a roster (the template of ``/roster/template/``) and check every row; nothing
    is imported yet. 422 (``file``) for a file that is not an .xlsx within the limits."""
    actor = request.auth
    branch = _branch(request, code)
    try:
        imports.upload_clean(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    imports.import_uploads_prune()
    name = default_storage.save(f"{imports.UPLOADS}/{uuid.uuid4().hex}.xlsx", file)
    if file.size > settings.KAOPING_IMPORT_INLINE_PREVIEW_BYTES:
        job = job_start(
            actor=actor,
            kind=f"{SPEC.kind}_preview",
            title=_("检查：%(t)s") % {"t": SPEC.title},
            task=imports._task(SPEC),
            organization=SPEC.organization_of(branch),
            params={
                "file": name,
                "target": branch.code,
                "preview": True,
                "confirm": reverse("archive:roster_import_confirm", args=[branch.code]),
            },
        )
        return {"rows": 0, "errors": [], "outlook": "", "token": None, "job": job.pk}
    with default_storage.open(name, "rb") as stored:
        rows, errors, outlook = imports._checked(SPEC, actor, branch, stored, None)
    token = None
    if rows and not errors:
        token = imports._token(SPEC, name, branch.code)
    else:
        default_storage.delete(name)
    return {
        "rows": len(rows),
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in errors],
        "outlook": outlook,
        "token": token,
        "job": None,
    }


@router.post("/branches/{code}/roster/import/confirm", response={202: JobOut, **WRITE_ERRORS})
def roster_import_confirm(request: AuthedRequest, code: Code, payload: ConfirmIn):
    """Confirm a preview's ``token`` (good for an hour): the background job imports every
    row or none. A token confirmed before starts nothing and answers its job. 404 for a
    token that is unknown, expired or of another branch."""
    actor = request.auth
    branch = _branch(request, code)
    try:
        data = signing.loads(payload.token, salt=imports.SALT, max_age=imports.MAX_AGE)
    except signing.BadSignature:
        data = None
    if not data or data.get("k") != SPEC.kind or data.get("t") != branch.code:
        raise Http404(_("找不到这次导入预览，可能已过期，请重新上传。"))
    already = False
    try:
        job = job_start(
            actor=actor,
            kind=SPEC.kind,
            title=SPEC.title,
            task=imports._task(SPEC),
            organization=SPEC.organization_of(branch),
            params={"file": data["f"], "target": branch.code},
            confirmation=f"upload:{data['f']}",
        )
    except AlreadyConfirmed as exc:
        if exc.job is None:
            raise Http404(_("找不到这次导入预览，可能已过期，请重新上传。")) from exc
        job, already = exc.job, True
    job = JobRun.objects.get(pk=job.pk)
    return 202, {
        "job": job.pk,
        "state": job.state,
        "message": job.message,
        "already_confirmed": already,
    }
