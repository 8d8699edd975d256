"""Page work that runs as background jobs: the ledger export of every visible branch and
the spreadsheet import of a branch's entries."""

import tempfile

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from kaoping.annotations import Actor
from kaoping.jobs.imports import SheetImport, import_run
from kaoping.jobs.models import JobRun
from kaoping.jobs.services import JobOutcome, job_execute, job_start
from kaoping.ledger.rows import ENTRY_HEADERS, entry_row
from kaoping.ledger.selectors import entries_visible
from kaoping.ledger.services import ENTRY_COLUMNS, entries_sheet_check, entries_sheet_import
from kaoping.orgs.selectors import branch_for_staff, staff_required
from kaoping.sheets.layout import POINTS, export_heading
from kaoping.sheets.xlsx import xlsx_write


def _export(job, progress) -> JobOutcome:
    year = int(job.params["year"])
    entries = entries_visible(actor=job.actor, year=year).order_by(
        "member__branch__path", "date", "id"
    )
    total = entries.count()
    progress(0, total + 1, _("共 %(n)s 条记录") % {"n": total})
    with tempfile.TemporaryFile() as out:
        written = xlsx_write(
            out,
            "评分台账",
            ENTRY_HEADERS,
            (entry_row(e) for e in entries.iterator(chunk_size=2000)),
            heading=export_heading(_("评分台账（全部可见支部）"), year=year),
            formats={"分值": POINTS},
            progress=lambda n: progress(n, total + 1, _("已写入 %(n)s 条") % {"n": n}),
        )
        out.seek(0)
        content = out.read()
    filename = f"{year}-评分台账.xlsx"
    return JobOutcome(
        summary=_("已导出 %(n)s 条记录。") % {"n": written},
        result={"rows": written, "filename": filename},
        file_name=f"ledger-{year}.xlsx",
        file_content=content,
    )


@task()
def entries_export_task(job_id: int) -> str:
    return job_execute(job_id=job_id, work=_export)


def entries_export_start(*, actor: Actor, year: int) -> JobRun:
    """An officer exports the ledger of every branch they read (导出评分台账), in the
    background; the job's file is the spreadsheet."""
    staff_required(actor=actor)
    return job_start(
        actor=actor,
        kind="entries.export",
        title=_("导出 %(year)s 年度评分台账（全部可见支部）") % {"year": year},
        task=entries_export_task,
        params={"year": year},
    )


def _entries_apply(actor, branch, rows) -> str:
    n = entries_sheet_import(actor=actor, branch=branch, rows=rows)
    return _("已导入 %(n)s 条加扣分记录。") % {"n": n}


ENTRIES_IMPORT = SheetImport(
    kind="entries.import",
    title=gettext_lazy("加扣分记录导入"),
    columns=ENTRY_COLUMNS,
    check=lambda actor, branch, rows, progress: entries_sheet_check(
        actor=actor, branch=branch, rows=rows, progress=progress
    ),
    apply=_entries_apply,
    target_of=lambda actor, code: branch_for_staff(actor=actor, code=code, manage=True),
    organization_of=lambda branch: branch,
    task_name="kaoping.web.background.entries_import_task",
)


@task()
def entries_import_task(job_id: int) -> str:
    return import_run(job_id=job_id, spec=ENTRIES_IMPORT)
