"""Reads on a streaming replica, writes on the primary (docs/scaling.md).

With ``KAOPING_REPLICA_URL`` set, the settings add a ``replica`` database (a PostgreSQL hot
standby of ``default``) and this router. Reads go to the replica only inside
``replica_reads()``: the middleware below opens it for safe requests (GET, HEAD) that did
not follow a write of the same browser within ``REPLICA_PIN_SECONDS`` (so a page shown
after a form sees its own write, whatever the replication lag), and report code may open it
itself. Inside a transaction on the primary every read stays on the primary, so a service's
reads and writes always see one database. Writes and migrations never go to the replica.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "kaoping_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_replica_reads: ContextVar[bool] = ContextVar("kaoping_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Route the ORM's reads in this block to the replica (when there is one)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _replica_reads.get()
            and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS  # even for an object that was read from the replica

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the standby receives the schema by replication


class ReplicaReadsMiddleware:
    """Serve safe requests from the replica, except just after the same client wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        if request.method in SAFE_METHODS and PIN_COOKIE not in request.COOKIES:
            with replica_reads():
                return self.get_response(request)
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=getattr(settings, "REPLICA_PIN_SECONDS", 5),
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
