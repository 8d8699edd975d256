"""Issuing many logins as a background job (开通账号): hashing hundreds of initial
passwords takes longer than a request should; the job page shows the progress, then
leads to the batch page with the slips' one-time downloads."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from kaoping.jobs.services import JobOutcome, job_execute

from .services.logins import logins_issue


def _issue(job, progress) -> JobOutcome:
    batch = logins_issue(
        actor=job.actor,
        organization=job.organization,
        member_codes=job.params.get("members"),
        progress=progress,
    )
    return JobOutcome(
        summary=_("已为 %(n)s 名党员开通账号，请立即下载账号条。") % {"n": len(batch.issued)},
        result={
            "batch": batch.pk,
            "link": {"url": reverse("accounts:batch", args=[batch.pk]), "label": _("下载账号条")},
        },
    )


@task()
def logins_issue_task(job_id: int) -> str:
    return job_execute(job_id=job_id, work=_issue)
