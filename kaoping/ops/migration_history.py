"""迁移历史: a squashed migration whose replaced files are gone must be applied whole.

The migrations of eight apps were squashed and the files they replace deleted (decision
39). Django then treats a database that applied some but not all of a squash's replaced
migrations as having nothing to do, and would leave it short of tables or columns without
a word. This check refuses ``migrate`` (and any command run with the database checks) on
such a database, and /readyz reports it, until it is upgraded through the last commit
that still carries the replaced migrations.
"""

import functools
from collections.abc import Collection

from django.core.checks import CheckMessage, Error, Tags, register
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

#: The last commit of main that still carries every migration the squashes replace.
LAST_UNSQUASHED = "1a8516f"


Key = tuple[str, str]


@functools.cache
def _replacements() -> dict[Key, tuple[Key, ...]]:
    """Each squashed migration on disk and what it replaces: read once per process."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {key: tuple(m.replaces) for key, m in loader.replacements.items()}


def squashes_partly_applied(applied: Collection[Key]) -> list[Key]:
    """The squashed migrations of which ``applied`` holds some replaced ones, not all."""
    partly = []
    for key, replaced in _replacements().items():
        done = [target in applied for target in replaced]
        if any(done) and not all(done):
            partly.append(key)
    return sorted(partly)


@register(Tags.database)
def squashed_migrations_whole(app_configs=None, databases=None, **kwargs) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for alias in databases or ():
        recorder = MigrationRecorder(connections[alias])
        if not recorder.has_table():
            continue
        for app, name in squashes_partly_applied(recorder.applied_migrations()):
            errors.append(
                Error(
                    _(
                        "数据库只执行了合并迁移 %(app)s.%(name)s 所替代的部分迁移："
                        "请先升级到 %(commit)s 版本并执行 migrate，再升级到本版本。"
                    )
                    % {"app": app, "name": name, "commit": LAST_UNSQUASHED},
                    hint=_("见 docs/deployment.md 的“升级”一节。"),
                    id="kaoping.E001",
                )
            )
    return errors
