"""Paper ballot counts from a spreadsheet: a template listing the round's candidates,
upload → preview with row errors, confirm → a job that enters all counts or none."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from kaoping.jobs.imports import import_confirm, import_preview
from kaoping.sheets.xlsx import XLSX_TYPE, template_workbook

from . import selectors
from .background import paper_columns, paper_import, round_of_key


@login_required
@require_GET
def paper_template(request, code: str, year: int):
    round_ = round_of_key(request.user, f"{code}/{year}")
    rows = [[m.code, m.name] for m in selectors.round_candidates(round_)]
    content = template_workbook(paper_columns(round_), "纸质测评票数", rows=rows)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="paper-{code}-{year}.xlsx"'
    return response


@login_required
@require_POST
def paper_import_upload(request, code: str, year: int):
    round_ = round_of_key(request.user, f"{code}/{year}")
    return import_preview(
        request,
        spec=paper_import(round_),
        target=round_,
        key=f"{round_.branch.code}/{round_.year}",
        back=reverse("evaluation:paper_tally", args=[code, year]),
        confirm_url=reverse("evaluation:paper_import_confirm", args=[code, year]),
    )


@login_required
@require_POST
def paper_import_confirm(request, code: str, year: int):
    round_ = round_of_key(request.user, f"{code}/{year}")
    key = f"{round_.branch.code}/{round_.year}"
    return import_confirm(request, spec=paper_import(round_), key=key)
