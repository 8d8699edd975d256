"""Spreadsheet import of a branch's entries: template, upload → preview, confirm → job."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from kaoping.jobs.imports import import_confirm, import_preview
from kaoping.ledger.services import ENTRY_COLUMNS
from kaoping.orgs.selectors import branch_for_staff
from kaoping.sheets.xlsx import template_response

from ..background import ENTRIES_IMPORT


@login_required
@require_GET
def entries_template(request):
    return template_response("entries-template.xlsx", ENTRY_COLUMNS, "加扣分记录")


@login_required
@require_POST
def entries_import(request, code: str):
    branch = branch_for_staff(actor=request.user, code=code, manage=True)
    return import_preview(
        request,
        spec=ENTRIES_IMPORT,
        target=branch,
        key=branch.code,
        back=reverse("web:branch", args=[branch.code]),
        confirm_url=reverse("web:entries_import_confirm", args=[branch.code]),
    )


@login_required
@require_POST
def entries_import_confirm(request, code: str):
    branch = branch_for_staff(actor=request.user, code=code, manage=True)
    return import_confirm(request, spec=ENTRIES_IMPORT, key=branch.code)
