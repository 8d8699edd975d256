"""Import of a year bundle (bundle.md), streaming: the file is read record by record into
temporary staging tables, every check runs before anything is written (``checks.py``: per
record as it streams, across records as queries over the staging tables), then everything
is written in bulk in the same transaction (``writes.py``). A bad bundle is refused whole
with messages naming each bad record, and nothing of it is stored. Memory does not grow
with the size of the file.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kaoping.annotations import Actor
from kaoping.kit.bulk import no_cycle_collection

from .checks import BundleCheck
from .errors import BundleError, validation_text
from .reading import BundleNotJSON, BundleTooDeep, DictSource, FileSource, bundle_schema
from .writes import ImportSummary, bundle_write

__all__ = [
    "BundleError",
    "BundleNotJSON",
    "ImportSummary",
    "bundle_import",
    "bundle_schema",
    "bundle_validate",
]


class _Rollback(Exception):
    pass


def bundle_validate(data: Any) -> list[str]:
    """Every problem of an in-memory bundle (the first ``MAX_MESSAGES``), as messages
    naming the record; empty when it is good. Stores nothing."""
    try:
        with transaction.atomic():
            BundleCheck(actor=None, source=DictSource(data)).check()
            raise _Rollback
    except BundleError as exc:
        return exc.errors
    except _Rollback:
        return []


def bundle_import(
    *, actor: Actor, data: Any = None, path: str | Path | None = None
) -> ImportSummary:
    """Import a bundle (a parsed ``data`` or a file at ``path``, streamed), all or
    nothing; raises ``BundleError`` (or ``BundleNotJSON``) and stores nothing when anything
    is wrong. Existing organisations and members are updated; entries whose id is already
    in the ledger are skipped; importing the same bundle twice changes nothing."""
    source = FileSource(path) if path is not None else DictSource(data)
    try:
        with transaction.atomic():
            check = BundleCheck(actor=actor, source=source)
            check.check()
            with no_cycle_collection():
                return bundle_write(check)
    except ValidationError as exc:  # a model invariant the checks did not foresee
        raise BundleError([validation_text(exc)]) from exc
    except BundleTooDeep as exc:
        raise BundleError([str(exc)]) from exc
