"""The request that starts a job and the job's own lines are linked in the logs."""

import io
import logging

import pytest
import structlog
from django_tasks import task

from kaoping.jobs.services import JobOutcome, job_execute, job_start

pytestmark = pytest.mark.django_db


def _work(job, progress):
    logging.getLogger("kaoping.jobs.test").info("working on it")
    return JobOutcome(summary="好")


@task()
def logging_task(job_id: int) -> str:
    return job_execute(job_id=job_id, work=_work)


def test_the_queued_line_names_the_request_and_the_jobs_lines_name_the_job():
    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(root.handlers[0].formatter)
    root.addHandler(handler)
    structlog.contextvars.bind_contextvars(request_id="req-job-12345678")
    try:
        job = job_start(actor=None, kind="t", title="测试", task=logging_task)
    finally:
        structlog.contextvars.clear_contextvars()
        root.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    queued = [x for x in lines if f"job {job.pk} queued" in x]
    working = [x for x in lines if "working on it" in x]
    assert queued and "request_id=req-job-12345678" in queued[0], lines
    assert working and f"job_id={job.pk}" in working[0], lines
