"""Scoring work that runs as a background job: recomputing a whole year's results."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_tasks import task

from kaoping.annotations import Actor
from kaoping.jobs.models import JobRun
from kaoping.jobs.services import JobOutcome, job_execute, job_start
from kaoping.orgs.selectors import scope_for, staff_required

from . import services


def _compute(job, progress) -> JobOutcome:
    year = int(job.params["year"])
    n = services.results_compute(actor=job.actor, year=year, progress=progress)
    return JobOutcome(
        summary=_("已计算并保存 %(year)s 年度 %(n)s 名党员的结果。") % {"year": year, "n": n},
        result={"year": year, "members": n},
    )


@task()
def results_compute_task(job_id: int) -> str:
    return job_execute(job_id=job_id, work=_compute)


def results_compute_start(*, actor: Actor, year: int) -> JobRun:
    """A committee admin recomputes and stores a whole year's results (重新计算) in the
    background; the job tells how it goes."""
    staff_required(actor=actor)
    if not scope_for(actor).is_scheme_admin:
        raise PermissionDenied(_("只有党工委管理员可以计算全年的结果。"))
    return job_start(
        actor=actor,
        kind="results.compute",
        title=_("重新计算 %(year)s 年度结果") % {"year": year},
        task=results_compute_task,
        params={"year": year},
    )
