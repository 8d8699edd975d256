"""The roster import (名册导入) in the API (issue 20), in the page's two steps and through
the same ``import_upload_check`` / ``import_start`` (``kaoping.jobs.imports``,
``background.ROSTER_IMPORT``): the upload (a multipart ``file``, .xlsx, the page's size
and sheet limits) is stored and every row checked, the answer lists the row errors, or
with none a ``token``; confirming the token starts the background job that checks every
row again and imports all of them or none. A preview is confirmed once. Both steps: the
managers of the branch (404/403 as the roster page)."""

from ninja import File, Router
from ninja.files import UploadedFile

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import WRITE_ERRORS
from kaoping.api.schemas import Code, ErrorOut
from kaoping.jobs.api import (
    ImportCheckOut,
    ImportConfirmIn,
    JobOut,
    import_check_answer,
    import_start_answer,
)
from kaoping.orgs.selectors import branch_for_staff

from .background import ROSTER_IMPORT

router = Router(tags=["archive"])


def _branch(request: AuthedRequest, code: str):
    return branch_for_staff(actor=request.auth, code=code, manage=True)


@router.post(
    "/branches/{code}/roster/import",
    response={200: ImportCheckOut, 202: ImportCheckOut, **WRITE_ERRORS},
)
def roster_import_preview(request: AuthedRequest, code: Code, file: File[UploadedFile]):
    """Upload a roster (the template of ``/roster/template/``) and check every row; nothing
    is imported yet. 422 (``file``) for a file that is not an .xlsx within the limits; 202
    with ``job`` for a large file, checked in the background."""
    branch = _branch(request, code)
    return import_check_answer(
        actor=request.auth,
        spec=ROSTER_IMPORT,
        target=branch,
        key=branch.code,
        upload=file,
        confirm_url=f"/api/branches/{branch.code}/roster/import/confirm",
    )


@router.post(
    "/branches/{code}/roster/import/confirm",
    response={202: JobOut, 409: ErrorOut, **WRITE_ERRORS},
)
def roster_import_confirm(request: AuthedRequest, code: Code, payload: ImportConfirmIn):
    """Confirm a preview's ``token`` (good for an hour): the background job imports every
    row or none. A token confirmed before starts nothing (409, naming its job). 404 for a
    token that is unknown, expired or of another branch."""
    branch = _branch(request, code)
    return import_start_answer(
        actor=request.auth, spec=ROSTER_IMPORT, key=branch.code, token=payload.token
    )
