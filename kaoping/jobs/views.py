"""Job pages: my jobs, one job's progress (an htmx-polled fragment) and result, its file."""

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaoping.ops.files import file_answer

from . import selectors

LIST_LIMIT = 50


@login_required
@require_GET
def job_list(request):
    jobs = list(selectors.jobs_visible(actor=request.user)[:LIST_LIMIT])
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
    job = selectors.job_access_by_id(actor=request.user, id=pk)
    if not job.result_file or not default_storage.exists(job.result_file.name):
        raise Http404(_("这项后台任务没有可下载的文件。"))
    filename = job.result.get("filename") or job.result_file.name.rsplit("/", 1)[-1]
    return file_answer(job.result_file, as_attachment=True, filename=filename)
