"""Dues work that runs as a background job: the spreadsheet import of payments."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from kaoping.jobs.imports import SheetImport, import_run

from . import selectors, services


def _summary(actor, branch, rows) -> str:
    n = services.dues_import(actor=actor, branch=branch, rows=rows)
    return _("已导入 %(n)s 条党费记录。") % {"n": n}


DUES_IMPORT = SheetImport(
    kind="dues.import",
    title=gettext_lazy("党费导入"),
    columns=services.IMPORT_COLUMNS,
    check=lambda actor, branch, rows, progress: services.dues_import_check(
        actor=actor, branch=branch, rows=rows, progress=progress
    ),
    apply=_summary,
    target_of=lambda actor, code: selectors.branch_for_dues(actor=actor, code=code, manage=True),
    organization_of=lambda branch: branch,
    task_name="kaoping.dues.background.dues_import_task",
)


@task()
def dues_import_task(job_id: int) -> str:
    return import_run(job_id=job_id, spec=DUES_IMPORT)
