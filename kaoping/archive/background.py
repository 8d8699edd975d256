"""Archive work that runs as a background job: the roster import (kaoping.jobs.imports)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from kaoping.jobs.imports import SheetImport, import_run
from kaoping.orgs.selectors import branch_for_staff

from . import services


def _apply(actor, branch, rows) -> str:
    n = services.roster_import(actor=actor, branch=branch, rows=rows)
    return _("已导入 %(n)s 名党员的信息。") % {"n": n}


def _describe(good) -> str:
    new = sum(1 for r in good if not r.existing)
    return _("新增 %(new)s 名党员，更新 %(old)s 名。") % {"new": new, "old": len(good) - new}


ROSTER_IMPORT = SheetImport(
    kind="roster.import",
    title=gettext_lazy("名册导入"),
    columns=services.ROSTER_SHEET_COLUMNS,
    check=lambda actor, branch, rows, progress: services.roster_import_check(
        actor=actor, branch=branch, rows=rows, progress=progress
    ),
    apply=_apply,
    target_of=lambda actor, code: branch_for_staff(actor=actor, code=code, manage=True),
    organization_of=lambda branch: branch,
    task_name="kaoping.archive.background.roster_import_task",
    read=services.roster_sheet_read,
    describe=_describe,
)


@task()
def roster_import_task(job_id: int) -> str:
    return import_run(job_id=job_id, spec=ROSTER_IMPORT)
