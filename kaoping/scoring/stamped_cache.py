"""The cache for what is keyed by results stamps (``ResultsStamp``): live results of a
branch, rendered page bodies.

Two levels: a small LRU in each worker process in front of Django's shared cache
(settings.CACHES). A key names one stamp, and what is stored under it never changes
meaning, so a worker may keep it without asking anyone; the shared cache spares the
other workers and app servers the computation. Values are kept pickled in the process
(strings as they are), so a caller may change what it gets without touching anyone
else's copy.

Inside a transaction nothing is read or written: the stamp there may be the
transaction's own, uncommitted and perhaps rolled back."""

import pickle
import threading
from collections import OrderedDict

from django.core.cache import cache
from django.db import connection


def usable() -> bool:
    return not connection.in_atomic_block


class _Recent:
    """The most recently used values of this process (a bounded LRU)."""

    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict[str, object] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key: str, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


# A branch page body is about 50 kB, a branch's results a few: a few MB a worker.
recent = _Recent(size=256)


def _local(value):
    return value if isinstance(value, str) else pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def _unlocal(value):
    return value if isinstance(value, str) else pickle.loads(value)  # noqa: S301 - our own


def get_many(keys) -> dict:
    """The values found under ``keys``: this process's first, then the shared cache's."""
    found, missing = {}, []
    for key in keys:
        value = recent.get(key)
        if value is None:
            missing.append(key)
        else:
            found[key] = _unlocal(value)
    if missing:
        shared = cache.get_many(missing)
        for key, value in shared.items():
            recent.put(key, _local(value))
        found |= shared
    return found


def set_many(values: dict) -> None:
    cache.set_many(values)
    for key, value in values.items():
        recent.put(key, _local(value))


def clear() -> None:
    cache.clear()
    recent.clear()
