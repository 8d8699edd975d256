"""The squashed migrations (decision 39): a database that applied only part of what a
squash replaces is refused by ``migrate`` and reported by /readyz, instead of being left
short of tables without a word."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import translation

from kaoping.ops.migration_history import LAST_UNSQUASHED, squashed_migrations_whole

pytestmark = pytest.mark.django_db

SQUASH = ("documents", "0001_squashed_0002_year_archive")


def _forget(app: str, *names: str) -> None:
    MigrationRecorder.Migration.objects.filter(app=app, name__in=names).delete()


def test_a_migrated_database_passes():
    assert squashed_migrations_whole(databases=["default"]) == []
    call_command("migrate", verbosity=0, skip_checks=False)


def test_a_partly_applied_squash_is_refused_by_migrate_and_readyz(client):
    # As a database left at documents 0001 by a release before the squash would look.
    _forget("documents", "0002_year_archive", SQUASH[1])

    with translation.override("zh-hans"):
        (error,) = squashed_migrations_whole(databases=["default"])
    assert error.id == "kaoping.E001"
    assert "documents.0001_squashed_0002_year_archive" in error.msg
    assert f"请先升级到 {LAST_UNSQUASHED} 版本并执行 migrate" in error.msg
    with translation.override("en"):
        (error,) = squashed_migrations_whole(databases=["default"])
    assert f"upgrade to {LAST_UNSQUASHED} first" in error.msg

    with pytest.raises(SystemCheckError, match="kaoping.E001"):
        call_command("migrate", verbosity=0, skip_checks=False)

    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["migrations"] == "fail"


def test_a_database_from_before_the_squash_with_everything_applied_passes():
    # An upgraded database records the replaced migrations; Django then counts the squash
    # as applied, and so does the check.
    _forget(*SQUASH)
    assert squashed_migrations_whole(databases=["default"]) == []
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
