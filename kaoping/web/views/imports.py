"""Spreadsheet import of a branch's entries: template, upload → preview, confirm → job."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.views.decorators.http import require_GET

from kaoping.jobs.imports import branch_import_views
from kaoping.ledger.services import ENTRY_COLUMNS
from kaoping.sheets.xlsx import template_response

from ..background import ENTRIES_IMPORT


@login_required
@require_GET
def entries_template(request):
    return template_response("entries-template.xlsx", ENTRY_COLUMNS, "加扣分记录")


entries_import_views = branch_import_views(
    ENTRIES_IMPORT,
    back=lambda request, branch: reverse("web:branch", args=[branch.code]),
    confirm="web:entries_import_confirm",
)
