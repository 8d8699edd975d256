"""Background jobs on the distributed backend: Redis with RQ workers (docs/scaling.md).

The same code that the database queue runs (``kaoping.jobs`` and a task of
``scoring.background``) is enqueued by one process into Redis, run by a separate
``rqworker`` process, and read back by a third, all through the ``kaoping`` command with
``KAOPING_TASKS=rq``, as a deployment with app servers and workers on several machines
would. Redis: a private ``redis-server`` started for the test (or KAOPING_TEST_REDIS_URL);
the test is skipped, with the reason, only when neither is there (``redis_url``,
kaoping/testing/redis.py)."""

import json

import pytest

from kaoping.bundles.tests.test_examples import EXAMPLES
from kaoping.testing.cli import kaoping

ENQUEUE = """
import json, django_rq
from kaoping.jobs.services import job_start
from kaoping.scoring.background import results_compute_task
from kaoping.scoring.models import MemberResult
queue = django_rq.get_queue("default")
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


@pytest.mark.parametrize(
    "env, message",
    [
        ({"KAOPING_TASKS": "celery"}, "KAOPING_TASKS is 'db' (the default) or 'rq', not 'celery'"),
        ({"KAOPING_TASKS": "rq"}, "KAOPING_TASKS=rq needs KAOPING_REDIS_URL"),
    ],
)
def test_a_wrong_queue_setting_stops_the_start_with_what_to_set(env, message, tmp_path):
    done = kaoping(
        f"sqlite:///{tmp_path / 'unused.sqlite3'}", "check", check=False,
        env={"KAOPING_REDIS_URL": "", **env},
    )  # fmt: skip
    assert done.returncode != 0
    assert message in done.stderr
