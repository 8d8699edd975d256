"""What /readyz checks: the database, the cache, the task queue, no migration pending.

Each check returns nothing or raises; the view names the failed check and nothing else
(no host, no message: an error text can carry a connection string).
"""

import functools
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from .migration_history import squashes_partly_applied


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


@functools.cache
def _migration_nodes() -> frozenset[tuple[str, str]]:
    """Every migration of the code this process runs: read from disk once (the code does
    not change under a running process; an upgrade restarts it)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def migrations() -> None:
    connection = connections["default"]
    applied = MigrationRecorder(connection).applied_migrations()
    if squashes_partly_applied(applied):
        raise RuntimeError("a squashed migration is partly applied")
    if _migration_nodes() <= applied.keys():
        return  # the fast answer, one query
    # Something looks unapplied (or squashed): ask Django's own planner, as migrate would.
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("migrations pending")


CHECKS: dict[str, Callable[[], None]] = {
    "database": database,
    "cache": cache,
    "task_queue": task_queue,
    "migrations": migrations,
}
