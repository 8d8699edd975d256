"""Background jobs on the distributed backend: Redis with RQ workers (docs/scaling.md).

The same code that the database queue runs (``kaoping.jobs`` and a task of
``scoring.background``) is enqueued by one process into Redis, run by a separate
``rqworker`` process, and read back by a third, all through the ``kaoping`` command with
``KAOPING_TASKS=rq``, as a deployment with app servers and workers on several machines
would. Redis: KAOPING_TEST_REDIS_URL, by default database 15 of the machine's Redis; the
test is skipped, with the reason, only when no Redis answers there."""

import json
import os

import pytest

from kaoping.bundles.tests.test_examples import EXAMPLES
from kaoping.testing.cli import kaoping

REDIS_URL = os.environ.get("KAOPING_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

ENQUEUE = """
import json, django_rq
from kaoping.jobs.services import job_start
from kaoping.scoring.background import results_compute_task
from kaoping.scoring.models import MemberResult
queue = django_rq.get_queue("default")
queue.empty()  # what an earlier, interrupted run may have left
job = job_start(actor=None, kind="results.compute", title="rq", task=results_compute_task,
                params={"year": 2026})
print(json.dumps({"job": job.pk, "state": job.state, "task_id": job.task_id,
                  "in_redis": queue.job_ids, "stored": MemberResult.objects.count()}))
"""

READ_BACK = """
import json
from kaoping.jobs.models import JobRun
from kaoping.scoring.background import results_compute_task
from kaoping.scoring.models import MemberResult
job = JobRun.objects.get(pk={job})
task = results_compute_task.get_result(job.task_id)
print(json.dumps({{"state": job.state, "message": job.message, "result": job.result,
                  "task_status": str(task.status), "workers": task.worker_ids,
                  "stored": MemberResult.objects.filter(year=2026).count()}}))
"""


@pytest.fixture
def redis_url():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis at {REDIS_URL}: {exc}")
    return REDIS_URL


def _last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def test_a_job_enqueued_by_one_process_runs_on_a_separate_rq_worker(empty_database_url, redis_url):
    url = empty_database_url()
    rq = {"KAOPING_TASKS": "rq", "KAOPING_REDIS_URL": redis_url}
    kaoping(url, "import-bundle", str(EXAMPLES / "small-district.bundle.json"), env=rq)
    members = len(json.loads((EXAMPLES / "small-district.results.json").read_text())["members"])

    queued = _last_json(kaoping(url, "shell", "-c", ENQUEUE, env=rq))
    # Enqueued into Redis, not run: nothing is computed until a worker takes it.
    assert queued["state"] == "queued"
    assert queued["in_redis"] == [queued["task_id"]]
    assert queued["stored"] == 0

    kaoping(url, "rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default", env=rq)

    done = _last_json(kaoping(url, "shell", "-c", READ_BACK.format(job=queued["job"]), env=rq))
    assert done["state"] == "done", done["message"]
    assert done["result"] == {"year": 2026, "members": members}
    assert done["stored"] == members
    assert done["task_status"] == "SUCCESSFUL"
    assert len(done["workers"]) == 1  # the rqworker process, by its RQ name
