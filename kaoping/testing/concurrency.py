"""Calls raced against each other, for the tests of what must happen once however many
ask at the same moment (on PostgreSQL: SQLite serialises writers)."""

import threading
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connections


def race(*calls: Callable[[], object], timeout: float | None = None) -> list:
    """Run the calls at the same moment, one thread (and connection) each. Returns each
    result, or "refused" for the app's ValidationError; any other error fails the test, as
    does a call still running after ``timeout`` seconds (when given)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[i] = call()
        except ValidationError:
            results[i] = "refused"
        except Exception as exc:  # noqa: BLE001 - reported to the test, not swallowed
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a raced call hung"
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, f"unexpected errors in concurrent calls: {errors!r}"
    return results
