"""The roster import (名册导入) in the API (issue 20), in the page's two steps and through
the same ``import_upload_check`` / ``import_start`` (``kaoping.jobs.imports``,
``background.ROSTER_IMPORT``): the upload (a multipart ``file``, .xlsx, the page's size
and sheet limits) is stored and every row checked, the answer lists the row errors, or
with none a ``token``; confirming the token starts the background job that checks every
row again and imports all of them or none. A preview is confirmed once. Both steps: the
managers of the branch (404/403 as the roster page)."""

from ninja import Router

from kaoping.jobs.api import branch_import_operations

from .background import ROSTER_IMPORT

router = Router(tags=["archive"])


branch_import_operations(
    router,
    path="/branches/{code}/roster/import",
    spec=ROSTER_IMPORT,
    operation_ids=(
        "kaoping_archive_api_roster_roster_import_preview",
        "kaoping_archive_api_roster_roster_import_confirm",
    ),
    tags=["archive"],
    check_doc="Upload a roster (the template of ``/roster/template/``) and check every row; "
    "nothing is imported yet. 422 (``file``) for a file that is not an .xlsx within the "
    "limits; 202 with ``job`` for a large file, checked in the background.",
)
