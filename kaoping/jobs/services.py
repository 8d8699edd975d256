"""Writes of background jobs (后台任务): start one (a ``JobRun`` row, then the django-tasks
task), and run it with progress. The task functions live in the apps that own the work;
they stay thin and call ``job_execute`` with a service that takes a ``progress`` callback."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import structlog
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.kit.users import user_or_none
from kaoping.orgs.models import Organization
from kaoping.sheets.xlsx import SheetErrors

from .models import ImportConfirmation, JobRun

logger = logging.getLogger(__name__)
State = JobRun.State


@dataclass
class JobOutcome:
    """What a finished job leaves: a one-line summary, details, and maybe a file."""

    summary: str
    result: dict = field(default_factory=dict)
    file_name: str = ""
    file_content: bytes = b""


class Progress:
    """The ``progress(done, total=None, message=None)`` callback handed to a service; it
    writes at most twice a second (the last call of a run always lands)."""

    def __init__(self, job_id: int, interval: float = 0.5):
        self.job_id, self.interval = job_id, interval
        self.total = 0
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None, message: str | None = None) -> None:
        if total is not None:
            self.total = total
        now = time.monotonic()
        if now - self._last < self.interval and done < self.total:
            return
        self._last = now
        fields: dict[str, int | str] = {
            "done": min(done, self.total) if self.total else 0,
            "total": self.total,
        }
        if message is not None:
            fields["message"] = message[:500]
        JobRun.objects.filter(pk=self.job_id).update(**fields)


class AlreadyConfirmed(Exception):
    """This confirmation was consumed before; ``job`` is the job it started (or None)."""

    def __init__(self, job: JobRun | None):
        super().__init__("already confirmed")
        self.job = job


def confirmation_consume(*, key: str, job: JobRun | None = None) -> None:
    """Consume the confirmation ``key`` inside the caller's transaction, or raise
    ``AlreadyConfirmed``: the unique key lets exactly one of concurrent confirmations
    insert it (on PostgreSQL the others wait for the winner's commit, then fail)."""
    try:
        with transaction.atomic():
            ImportConfirmation.objects.create(key=key, job=job)
    except IntegrityError:
        earlier = ImportConfirmation.objects.filter(key=key).select_related("job").first()
        if earlier is None:  # not the key's constraint
            raise
        raise AlreadyConfirmed(earlier.job) from None


def job_start(
    *,
    actor: Actor,
    kind: str,
    title: str,
    task: Any,
    organization: Organization | None = None,
    params: Any = None,
    confirmation: str | None = None,
) -> JobRun:
    """Record the job, then enqueue ``task(job_id=…)``. The immediate backend (tests) runs
    it at once; the database backend leaves it to ``manage.py db_worker``. With
    ``confirmation``, the job consumes that confirmation in the same transaction: a second
    start with the same key raises ``AlreadyConfirmed`` and starts nothing."""
    title = str(title)
    with transaction.atomic():
        job = JobRun.objects.create(
            kind=kind,
            title=title[:200],
            actor=user_or_none(actor),
            organization=organization,
            params=params or {},
            created_at=timezone.now(),
        )
        if confirmation is not None:
            confirmation_consume(key=confirmation, job=job)
        audit_record(
            actor=actor,
            action="job.start",
            target=job,
            after={"kind": kind, "title": title, "params": params or {}},
        )
    try:
        result = task.enqueue(job_id=job.pk)
    except Exception:
        logger.exception("could not enqueue job %s", job.pk)
        _finish(job.pk, State.FAILED, _("无法启动后台任务，请稍后再试。"))
    else:
        JobRun.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
        # With the request's id (config/settings/logs.py): which request started which job.
        logger.info("job %s queued as task %s", job.pk, result.id)
    job.refresh_from_db()
    return job


def _finish(
    job_id: int, state: str, message: str, outcome: JobOutcome | None = None, **result: Any
) -> JobRun:
    job = JobRun.objects.get(pk=job_id)
    job.state, job.message, job.finished_at = state, message[:500], timezone.now()
    if state == State.DONE:
        job.done = job.total
    if outcome is not None:
        job.result = outcome.result
        if outcome.file_name:
            job.result_file.save(outcome.file_name, ContentFile(outcome.file_content), save=False)
    elif result:
        job.result = result
    job.save()
    return job


def job_execute(*, job_id: int, work: Callable[[JobRun, Progress], JobOutcome]) -> str:
    """Run ``work(job, progress)`` once for a queued job and record how it ended: the
    summary (and file) when it succeeds, the row errors or message when it is refused.
    Every log line written meanwhile names the job (``job_id``)."""
    with structlog.contextvars.bound_contextvars(job_id=job_id):
        return _job_execute(job_id, work)


def _job_execute(job_id: int, work: Callable[[JobRun, Progress], JobOutcome]) -> str:
    started = JobRun.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, started_at=timezone.now()
    )
    if not started:
        return "skipped"
    job = JobRun.objects.select_related("actor", "organization").get(pk=job_id)
    try:
        outcome = work(job, Progress(job_id))
    except SheetErrors as exc:
        _finish(
            job_id,
            State.FAILED,
            _("表格有 %(n)s 处错误，未导入任何数据。") % {"n": len(exc.row_errors)},
            errors=[
                {"row": e.row, "column": e.column, "message": e.message} for e in exc.row_errors
            ],
        )
    except ValidationError as exc:
        _finish(job_id, State.FAILED, "；".join(exc.messages), errors=[])
    except PermissionDenied:
        _finish(job_id, State.FAILED, _("无权执行此操作。"))
    except Exception:
        logger.exception("job %s failed", job_id)
        _finish(job_id, State.FAILED, _("后台任务出错，未作任何更改；请联系管理员。"))
    else:
        _finish(job_id, State.DONE, outcome.summary, outcome)
        return "done"
    return "failed"
