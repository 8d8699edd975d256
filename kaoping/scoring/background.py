"""Scoring work that runs as a background job: recomputing a whole year's results."""

from django.utils.translation import gettext as _
from django_tasks import task

from kaoping.jobs.services import JobOutcome, job_execute

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
