"""The spreadsheet import pattern, shared by every import (dues payments, score entries,
paper ballot tallies): upload → the file is stored (default storage) and a preview shows
every row with its errors highlighted → confirm starts a background job that reads the
stored file again, checks every row again and applies all rows in one transaction, or
none, leaving the summary or the row-level error report on the job's result page."""

import datetime
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kaoping.sheets.xlsx import (
    Column,
    RowError,
    SheetErrors,
    SheetRow,
    errors_by_row,
    read_rows,
    sheet_upload_check,
)

from .models import ImportConfirmation, JobRun
from .services import AlreadyConfirmed, JobOutcome, Progress, job_execute, job_start

SALT = "kaoping.jobs.import"
MAX_AGE = 3600  # seconds a preview stays confirmable
UPLOADS = "imports"  # the storage folder of uploads awaiting confirmation


def upload_clean(upload):
    """The checks of every spreadsheet upload, at once in the request: its size, its name,
    and the limits of ``sheet_upload_check`` (from the zip's directory, nothing parsed)."""
    limit = settings.KAOPING_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("文件不能超过 %(n)s MB。") % {"n": f"{limit / 1024 / 1024:g}"}
        )
    if not upload.name.lower().endswith(".xlsx"):
        raise forms.ValidationError(_("请上传 .xlsx 文件（可先下载模板）。"))
    sheet_upload_check(upload)
    return upload


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("表格文件（xlsx）"))

    def clean_file(self):
        return upload_clean(self.cleaned_data["file"])


@dataclass(frozen=True)
class SheetImport:
    """One kind of import. ``check(actor, target, rows, progress)`` returns the checked
    rows and the row errors without writing (outside any transaction, so the progress is
    seen); ``apply(actor, target, rows)`` checks again and writes in one transaction
    (raising ``SheetErrors``, so nothing is written) and returns the summary. ``target``
    is what the import is for (a branch, an evaluation round), found again by
    ``target_of(actor, key)``. ``read(file, columns)`` reads the rows and their errors
    (``read_rows`` unless the sheet has a stricter layout, as the roster's); ``describe``
    says in a line what confirming the checked rows will do (say, who is new)."""

    kind: str
    title: str
    columns: Sequence[Column]
    check: Callable[..., tuple[list[Any], list[RowError]]]
    apply: Callable[..., str]
    target_of: Callable[..., Any]
    organization_of: Callable[[Any], Any]
    task_name: str  # dotted path of the django-tasks task that runs it
    read: Callable[..., tuple[list[SheetRow], list[RowError]]] = read_rows
    describe: Callable[[list[Any]], str] | None = None


def _checked(spec: SheetImport, actor, target, file, progress) -> tuple[list[SheetRow], list, str]:
    """Read and check every row; the errors of both steps, in row and column order, and
    what confirming would do (``describe``, when nothing is wrong)."""
    rows, errors = spec.read(file, spec.columns)
    good: list[Any] = []
    if rows and not any(e.row == 1 for e in errors):
        good, more = spec.check(actor, target, rows, progress)
        order = {c.header: i for i, c in enumerate(spec.columns)}
        errors = sorted(errors + more, key=lambda e: (e.row, order.get(e.column, -1)))
    outlook = spec.describe(good) if spec.describe and good and not errors else ""
    return rows, errors, outlook


def import_uploads_prune(*, max_age: int = MAX_AGE) -> int:
    """Delete stored uploads whose preview was never confirmed (上传文件清理): older than a
    preview stays confirmable and not the file of a queued or running job. Returns how many
    were deleted. Run on every upload, so the folder never holds more than an hour's."""
    if not default_storage.exists(UPLOADS):
        return 0
    in_use = {
        job.params.get("file")
        for job in JobRun.objects.filter(state__in=[JobRun.State.QUEUED, JobRun.State.RUNNING])
    }
    cutoff = timezone.now() - datetime.timedelta(seconds=max_age)
    # A consumed confirmation outlives its token (signed before it), so it can go with it.
    ImportConfirmation.objects.filter(
        created_at__lt=timezone.now() - datetime.timedelta(seconds=MAX_AGE)
    ).delete()
    deleted = 0
    for filename in default_storage.listdir(UPLOADS)[1]:
        name = f"{UPLOADS}/{filename}"
        if name not in in_use and default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
            deleted += 1
    return deleted


@dataclass
class SheetPreview:
    """An upload checked (``sheet_preview``): its rows and their errors, and ``token`` to
    confirm it when there are rows and no error ("" otherwise: the file is gone); or, for a
    large file, ``job``: the background job that reads and checks it, whose result holds
    the token."""

    rows: list[SheetRow]
    errors: list[RowError]
    token: str = ""
    outlook: str = ""
    job: JobRun | None = None


def sheet_preview(
    *, actor, spec: SheetImport, target, key: str, upload, confirm_url: str
) -> SheetPreview:
    """Store an upload (passed through ``upload_clean``) and check every row without
    writing: in the request, or by a job when the file is large. The page and the API
    both preview so; ``confirm_url`` is the page that confirms (a job's page offers it)."""
    import_uploads_prune()
    name = default_storage.save(f"{UPLOADS}/{uuid.uuid4().hex}.xlsx", upload)
    if upload.size > settings.KAOPING_IMPORT_INLINE_PREVIEW_BYTES:
        # A large file is read and checked by a job, never by the web worker; its page
        # offers the confirmation when the check passes.
        job = job_start(
            actor=actor,
            kind=f"{spec.kind}_preview",
            title=_("检查：%(t)s") % {"t": spec.title},
            task=_task(spec),
            organization=spec.organization_of(target),
            params={"file": name, "target": key, "preview": True, "confirm": confirm_url},
        )
        return SheetPreview([], [], job=job)
    with default_storage.open(name, "rb") as stored:
        rows, errors, outlook = _checked(spec, actor, target, stored, None)
    if rows and not errors:
        return SheetPreview(rows, errors, _token(spec, name, key), outlook)
    default_storage.delete(name)
    return SheetPreview(rows, errors)


def import_preview(request, *, spec: SheetImport, target, key: str, back: str, confirm_url: str):
    """Handle the upload: store the file, check every row, render the preview."""
    form = UploadForm(request.POST, request.FILES)
    rows: list[SheetRow] = []
    errors: list = []
    token, outlook = "", ""
    if form.is_valid():
        checked = sheet_preview(
            actor=request.user,
            spec=spec,
            target=target,
            key=key,
            upload=form.cleaned_data["file"],
            confirm_url=confirm_url,
        )
        if checked.job is not None:
            return redirect(reverse("jobs:detail", args=[checked.job.pk]))
        rows, errors, token, outlook = checked.rows, checked.errors, checked.token, checked.outlook
    else:
        import_uploads_prune()
    marks = errors_by_row(errors)
    table = [
        {
            "line": r.line,
            "cells": [
                {"text": r.raw.get(c.key, ""), "errors": marks.get(r.line, {}).get(c.header, [])}
                for c in spec.columns
            ],
            "errors": [m for ms in marks.get(r.line, {}).values() for m in ms],
        }
        for r in rows
    ]
    context = {
        "spec": spec,
        "form": form,
        "headers": [c.header for c in spec.columns],
        "table": table,
        "errors": errors,
        "token": token,
        "outlook": outlook,
        "confirm_url": confirm_url,
        "back": back,
        "count": len(rows),
    }
    return render(request, "jobs/import_preview.html", context, status=200 if token else 400)


def _branch_to_manage(actor, code: str):
    from kaoping.orgs.selectors import branch_for_staff

    return branch_for_staff(actor=actor, code=code, manage=True)


def branch_import_views(spec: SheetImport, *, back, confirm: str, branch_of=_branch_to_manage):
    """The two views of a branch's sheet import, both posted with the branch's code: upload
    → preview with row-level errors, confirm once → a background job imports every row or
    none (its page shows how). ``branch_of(actor, code)`` finds the branch the actor
    manages, ``back(request, branch)`` is the page to go back to and ``confirm`` names the
    confirming URL."""

    @login_required
    @require_POST
    def preview(request, code: str):
        branch = branch_of(request.user, code)
        return import_preview(
            request,
            spec=spec,
            target=branch,
            key=branch.code,
            back=back(request, branch),
            confirm_url=reverse(confirm, args=[branch.code]),
        )

    @login_required
    @require_POST
    def confirmed(request, code: str):
        branch = branch_of(request.user, code)
        return import_confirm(request, spec=spec, key=branch.code)

    return preview, confirmed


def import_paths(route: str, views, name: str) -> list:
    """The URLs of ``branch_import_views``: the upload at ``route`` named ``name``, the
    confirmation at ``route`` + ``confirm/`` named ``name`` + ``_confirm``."""
    from django.urls import path

    preview, confirmed = views
    return [
        path(route, preview, name=name),
        path(f"{route}confirm/", confirmed, name=f"{name}_confirm"),
    ]


def _task(spec: SheetImport):
    from django.utils.module_loading import import_string

    return import_string(spec.task_name)


def _token(spec: SheetImport, name: str, key: str) -> str:
    return signing.dumps({"f": name, "k": spec.kind, "t": key}, salt=SALT)


def sheet_confirm(*, actor, spec: SheetImport, key: str, token: str) -> JobRun:
    """Start the import job of a checked upload (its ``token``, signed for ``spec`` and
    ``key``; 404 when it is not, or expired). A preview is confirmed once
    (``ImportConfirmation``, consumed with the job's row): a second confirmation, even a
    concurrent one, starts nothing and raises ``AlreadyConfirmed`` with the first job."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        data = None
    if not data or data.get("k") != spec.kind or data.get("t") != key:
        raise Http404(_("找不到这次导入预览，可能已过期，请重新上传。"))
    target = spec.target_of(actor, key)
    return job_start(
        actor=actor,
        kind=spec.kind,
        title=spec.title,
        task=_task(spec),
        organization=spec.organization_of(target),
        params={"file": data["f"], "target": key},
        confirmation=f"upload:{data['f']}",
    )


def import_confirm(request, *, spec: SheetImport, key: str):
    """Confirm a preview (``sheet_confirm``) and show the job's progress page; a second
    confirmation is sent to the job the first one started."""
    try:
        job = sheet_confirm(
            actor=request.user, spec=spec, key=key, token=request.POST.get("token", "")
        )
    except AlreadyConfirmed as exc:
        messages.error(request, _("该导入已经确认过，不会重复导入；请查看它的后台任务。"))
        if exc.job is None:
            return redirect(reverse("jobs:list"))
        job = exc.job
    return redirect(reverse("jobs:detail", args=[job.pk]))


def import_run(*, job_id: int, spec: SheetImport) -> str:
    """The body of an import task: read, check (with progress) and apply, all or nothing."""

    def check(job: JobRun, progress: Progress) -> JobOutcome:
        """A large upload's preview: read and check; the file stays for the confirmation."""
        name = job.params["file"]
        target = spec.target_of(job.actor, job.params["target"])
        progress(0, 1, _("读取表格"))
        with default_storage.open(name, "rb") as stored:
            rows, errors, outlook = _checked(spec, job.actor, target, stored, progress)
        if errors or not rows:
            default_storage.delete(name)
            raise SheetErrors(errors or [RowError(1, "", _("表格中没有数据行。"))])
        checked = _("已检查 %(n)s 行，没有错误；确认后开始导入。") % {"n": len(rows)}
        return JobOutcome(
            summary=f"{checked}{outlook}",
            result={
                "rows": len(rows),
                "confirm": {
                    "url": job.params["confirm"],
                    "token": _token(spec, name, job.params["target"]),
                },
            },
        )

    def work(job: JobRun, progress: Progress) -> JobOutcome:
        if job.params.get("preview"):
            return check(job, progress)
        name = job.params["file"]
        target = spec.target_of(job.actor, job.params["target"])
        try:
            progress(0, 1, _("读取表格"))
            with default_storage.open(name, "rb") as stored:
                rows, errors, _outlook = _checked(spec, job.actor, target, stored, progress)
            if errors:
                raise SheetErrors(errors)
            progress(len(rows), len(rows) + 1, _("写入数据"))
            summary = spec.apply(job.actor, target, rows)
        finally:
            default_storage.delete(name)
        return JobOutcome(summary=summary, result={"rows": len(rows)})

    return job_execute(job_id=job_id, work=work)
