"""Reads of background jobs: a user sees their own jobs; a committee admin also sees the
jobs of the organisations they administer (a superuser: all)."""

from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.orgs.selectors import scope_for

from .models import JobRun


def jobs_visible(*, actor: Actor) -> QuerySet[JobRun]:
    scope = scope_for(actor)
    qs = JobRun.objects.select_related("actor", "organization")
    if scope.everything:
        return qs
    q = Q(actor=actor) if getattr(actor, "is_authenticated", False) else Q(pk__in=[])
    for path in scope.admin_paths:
        q |= Q(organization__path__startswith=path)
    return qs.filter(q)


def job_access_by_id(*, actor: Actor, id: int) -> JobRun:  # noqa: A002 - the house name
    """The job if ``actor`` may see it; the same 404 for missing and not yours."""
    job = jobs_visible(actor=actor).filter(pk=id).first()
    if job is None:
        raise Http404(_("找不到这项后台任务。"))
    return job


def job_result_file(*, actor: Actor, id: int) -> tuple[FieldFile, str]:  # noqa: A002
    """A job's result file (an export) and the name to download it as; the same 404 for
    a job that is not the actor's and one without a file."""
    job = job_access_by_id(actor=actor, id=id)
    name = job.result_file.name
    if not name or not default_storage.exists(name):
        raise Http404(_("这项后台任务没有可下载的文件。"))
    return job.result_file, job.result.get("filename") or name.rsplit("/", 1)[-1]
