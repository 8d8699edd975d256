"""Evaluation work that runs as a background job: paper ballot counts from a spreadsheet."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from kaoping.jobs.imports import SheetImport, import_run
from kaoping.jobs.models import JobRun
from kaoping.jobs.services import job_execute
from kaoping.schemes.models import Scheme

from . import selectors, services


def round_of_key(actor, key: str):
    """The round named ``B1/2026``, for an officer who manages the branch."""
    code, _sep, year = key.rpartition("/")
    return selectors.round_for_staff(actor=actor, code=code, year=int(year), manage=True)


def paper_columns(round_) -> tuple:
    return services.paper_sheet_columns(Scheme.objects.get(year=round_.year))


def _apply(actor, round_, rows) -> str:
    services.paper_sheet_import(actor=actor, round_=round_, rows=rows)
    status, differing = selectors.paper_tally_status(round_)
    done = _("已保存您录入的票数（%(n)s 名党员）。") % {"n": len(rows)}
    if status == "mismatch":
        return done + _("两次录入不一致，请核对：%(codes)s。") % {"codes": "、".join(differing)}
    return done


def paper_import(round_) -> SheetImport:
    """The import of this round's paper counts (its columns follow the year's options)."""
    return SheetImport(
        kind="paper_tally.import",
        title=gettext_lazy("纸质测评票数导入"),
        columns=paper_columns(round_),
        check=lambda actor, r, rows, progress: services.paper_sheet_check(
            actor=actor, round_=r, rows=rows, progress=progress
        ),
        apply=_apply,
        target_of=round_of_key,
        organization_of=lambda r: r.branch,
        task_name="kaoping.evaluation.background.paper_import_task",
    )


def _gone(job, progress):
    raise ValidationError(_("找不到该测评，或您已无权管理它。"))


@task()
def paper_import_task(job_id: int) -> str:
    job = JobRun.objects.select_related("actor").get(pk=job_id)
    try:
        round_ = round_of_key(job.actor, job.params["target"])
    except (Http404, PermissionDenied):
        return job_execute(job_id=job_id, work=_gone)
    return import_run(job_id=job_id, spec=paper_import(round_))
