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
from django.core import signing
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaoping.sheets.xlsx import Column, RowError, SheetErrors, SheetRow, errors_by_row, read_rows

from .models import JobRun
from .services import JobOutcome, Progress, job_execute, job_start

SALT = "kaoping.jobs.import"
MAX_AGE = 3600  # seconds a preview stays confirmable
UPLOADS = "imports"  # the storage folder of uploads awaiting confirmation
MAX_UPLOAD = 5 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("表格文件（xlsx）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("文件不能超过 5 MB。"))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 文件（可先下载模板）。"))
        return upload


@dataclass(frozen=True)
class SheetImport:
    """One kind of import. ``check(actor, target, rows, progress)`` returns the checked
    rows and the row errors without writing (outside any transaction, so the progress is
    seen); ``apply(actor, target, rows)`` checks again and writes in one transaction
    (raising ``SheetErrors``, so nothing is written) and returns the summary. ``target``
    is what the import is for (a branch, an evaluation round), found again by
    ``target_of(actor, key)``."""

    kind: str
    title: str
    columns: Sequence[Column]
    check: Callable[..., tuple[list[Any], list[RowError]]]
    apply: Callable[..., str]
    target_of: Callable[..., Any]
    organization_of: Callable[[Any], Any]
    task_name: str  # dotted path of the django-tasks task that runs it


def _checked(spec: SheetImport, actor, target, file, progress) -> tuple[list[SheetRow], list]:
    """Read and check every row; the errors of both steps, in row and column order."""
    rows, errors = read_rows(file, spec.columns)
    if rows and not any(e.row == 1 for e in errors):
        _good, more = spec.check(actor, target, rows, progress)
        order = {c.header: i for i, c in enumerate(spec.columns)}
        errors = sorted(errors + more, key=lambda e: (e.row, order.get(e.column, -1)))
    return rows, errors


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
    deleted = 0
    for filename in default_storage.listdir(UPLOADS)[1]:
        name = f"{UPLOADS}/{filename}"
        if name not in in_use and default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
            deleted += 1
    return deleted


def import_preview(request, *, spec: SheetImport, target, key: str, back: str, confirm_url: str):
    """Handle the upload: store the file, check every row, render the preview."""
    import_uploads_prune()
    form = UploadForm(request.POST, request.FILES)
    rows, errors, token = [], [], ""
    if form.is_valid():
        upload = form.cleaned_data["file"]
        name = default_storage.save(f"{UPLOADS}/{uuid.uuid4().hex}.xlsx", upload)
        with default_storage.open(name, "rb") as stored:
            rows, errors = _checked(spec, request.user, target, stored, None)
        if rows and not errors:
            token = signing.dumps({"f": name, "k": spec.kind, "t": key}, salt=SALT)
        else:
            default_storage.delete(name)
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
        "confirm_url": confirm_url,
        "back": back,
        "count": len(rows),
    }
    return render(request, "jobs/import_preview.html", context, status=200 if token else 400)


def import_confirm(request, *, spec: SheetImport, key: str):
    """Confirm a preview: start the job on the stored file and show its progress page."""
    from django.utils.module_loading import import_string

    try:
        data = signing.loads(request.POST.get("token", ""), salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        data = None
    if not data or data.get("k") != spec.kind or data.get("t") != key:
        raise Http404(_("找不到这次导入预览，可能已过期，请重新上传。"))
    target = spec.target_of(request.user, key)
    job = job_start(
        actor=request.user,
        kind=spec.kind,
        title=spec.title,
        task=import_string(spec.task_name),
        organization=spec.organization_of(target),
        params={"file": data["f"], "target": key},
    )
    return redirect(reverse("jobs:detail", args=[job.pk]))


def import_run(*, job_id: int, spec: SheetImport) -> str:
    """The body of an import task: read, check (with progress) and apply, all or nothing."""

    def work(job: JobRun, progress: Progress) -> JobOutcome:
        name = job.params["file"]
        target = spec.target_of(job.actor, job.params["target"])
        try:
            progress(0, 1, _("读取表格"))
            with default_storage.open(name, "rb") as stored:
                rows, errors = _checked(spec, job.actor, target, stored, progress)
            if errors:
                raise SheetErrors(errors)
            progress(len(rows), len(rows) + 1, _("写入数据"))
            summary = spec.apply(job.actor, target, rows)
        finally:
            default_storage.delete(name)
        return JobOutcome(summary=summary, result={"rows": len(rows)})

    return job_execute(job_id=job_id, work=work)
