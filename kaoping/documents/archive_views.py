"""年度归档 pages: the archive's panel on the branch's finalisation page (its progress, or
the download with its SHA-256), the download, and building it again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kaoping.kit.forms import flash_service_error
from kaoping.orgs.selectors import scope_for

from .answers import archive_answer
from .background import year_archive_start
from .selectors import (
    archive_branch_for_reader,
    year_archive_for_download,
    year_archive_job,
    year_archive_latest,
)


@login_required
@require_GET
def year_archive_panel(request, code: str, year: int):
    branch = archive_branch_for_reader(actor=request.user, code=code)
    job = year_archive_job(branch=branch, year=year)
    context = {
        "branch": branch,
        "year": year,
        "archive": year_archive_latest(branch=branch, year=year),
        "job": job,
        "building": job is not None and not job.is_finished,
        "can_build": scope_for(request.user).manages(branch.path),
    }
    return render(request, "documents/_year_archive.html", context)


@login_required
@require_GET
def year_archive(request, code: str, year: int):
    """The zip of the branch's finalised year (its officers and the committee)."""
    return archive_answer(year_archive_for_download(actor=request.user, code=code, year=year))


@login_required
@require_POST
def year_archive_build(request, code: str, year: int):
    """Build the archive again (its officers, a finalised year): to the job's progress."""
    branch = archive_branch_for_reader(actor=request.user, code=code)
    try:
        job = year_archive_start(actor=request.user, branch=branch, year=year)
    except ValidationError as error:
        flash_service_error(request, error)
        return redirect(reverse("publication:branch", args=[branch.code, year]))
    messages.success(request, _("已开始生成年度归档。"))
    return redirect(reverse("jobs:detail", args=[job.pk]))
