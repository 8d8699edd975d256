"""The year's archive as a background job (年度归档): started when a branch finalises a
year, or again by its officers; the job page shows its progress and links the zip."""

import logging

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from kaoping.annotations import Actor
from kaoping.jobs.models import JobRun
from kaoping.jobs.services import JobOutcome, job_execute, job_start
from kaoping.orgs.models import Organization

from .archive import year_archive_build, year_archive_refusal
from .models import YEAR_ARCHIVE_JOB

logger = logging.getLogger(__name__)


def _build(job: JobRun, progress) -> JobOutcome:
    year = int(job.params["year"])
    branch = job.organization
    if branch is None:  # the job was started for a branch; it cannot lose it (PROTECT)
        raise ValueError("a year archive job without its branch")
    archive = year_archive_build(
        actor=job.actor, branch=branch, year=year, job=job, progress=progress
    )
    url = reverse("documents:year_archive", args=[branch.code, year])
    return JobOutcome(
        summary=_("已生成 %(branch)s %(year)s 年度归档：%(n)s 个文件。")
        % {"branch": branch.name, "year": year, "n": len(archive.manifest)},
        result={
            "year": year,
            "files": len(archive.manifest),
            "sha256": archive.sha256,
            "link": {"url": url, "label": _("下载年度归档")},
        },
    )


@task()
def year_archive_task(job_id: int) -> str:
    return job_execute(job_id=job_id, work=_build)


def year_archive_start(*, actor: Actor, branch: Organization, year: int) -> JobRun:
    """Build the branch's archive of a finalised year in the background (its officers and
    the committee admins above it); refused before the year is final."""
    year_archive_refusal(actor, branch, year)
    return job_start(
        actor=actor,
        kind=YEAR_ARCHIVE_JOB,
        title=_("生成 %(branch)s %(year)s 年度归档") % {"branch": branch.name, "year": year},
        task=year_archive_task,
        organization=branch,
        params={"year": year},
    )


def year_archive_on_finalise(sender, *, actor: Actor, branch: Organization, year: int, **_kw):
    """The receiver of ``publication.signals.branch_year_finalised``: the finalisation has
    committed, so a failure to start is logged (the officers can start it again from the
    branch's page), never turned into an error of the finalisation."""
    try:
        year_archive_start(actor=actor, branch=branch, year=year)
    except Exception:
        logger.exception("could not start the year archive of %s %s", branch.code, year)
