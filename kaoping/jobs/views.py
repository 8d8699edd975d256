"""Job pages: my jobs, one job's progress (an htmx-polled fragment) and result, its file."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from kaoping.kit.tables import Column, Filter, TableSpec, table
from kaoping.ops.files import file_answer

from . import selectors
from .models import JobRun

# Background jobs: the newest first, searched by name, organisation or who started it,
# filtered by state.
JOBS_TABLE = TableSpec(
    columns=(
        Column("title", _lazy("任务"), order=("title",)),
        Column("organization", _lazy("组织"), order=("organization__code",)),
        Column("actor", _lazy("发起人"), order=("actor__username",)),
        Column("created", _lazy("创建时间"), order=("created_at",)),
        Column("state", _lazy("状态"), order=("state",)),
        Column("progress", _lazy("进度")),
    ),
    default_sort="-created",
    search=("title", "organization__name", "actor__username"),
    search_label=_lazy("任务、组织、发起人"),
    filters=(Filter("state", _lazy("状态"), JobRun.State.choices, lookup="state"),),
)


@login_required
@require_GET
def job_list(request):
    jobs = table(request, selectors.jobs_visible(actor=request.user), JOBS_TABLE)
    year = timezone.localdate().year
    return render(request, "jobs/list.html", {"jobs": jobs, "year": year})


@login_required
@require_GET
def job_detail(request, pk: int):
    job = selectors.job_access_by_id(actor=request.user, id=pk)
    template = "jobs/_status.html" if request.htmx else "jobs/detail.html"
    return render(request, template, {"job": job})


@login_required
@require_GET
def job_download(request, pk: int):
    result, filename = selectors.job_result_file(actor=request.user, id=pk)
    return file_answer(result, as_attachment=True, filename=filename)
