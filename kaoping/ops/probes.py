"""What /readyz checks: the database, the cache, the task queue, no migration pending.

Each check returns nothing or raises; the view names the failed check and nothing else
(no host, no message: an error text can carry a connection string).
"""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.migrations.executor import MigrationExecutor


def database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def cache() -> None:
    store = caches["default"]
    store.set("kaoping:readyz", "1", 30)
    if store.get("kaoping:readyz") != "1":
        raise RuntimeError("the cache did not keep a value")


def task_queue() -> None:
    if settings.TASKS_QUEUE == "rq":
        import django_rq

        django_rq.get_connection("default").ping()
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.using("default").order_by().values("pk")[:1].exists()


def migrations() -> None:
    connection = connections["default"]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("migrations pending")


CHECKS: dict[str, Callable[[], None]] = {
    "database": database,
    "cache": cache,
    "task_queue": task_queue,
    "migrations": migrations,
}
