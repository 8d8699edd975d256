"""The results stamp's triggers again, on SQLite, after migrations that rebuilt the ledger.

SQLite cannot alter most of a table in place, so Django rebuilds it (a new table, the rows
copied, the old one dropped), and a rebuilt table loses its triggers. Ledger migrations
0006 and 0008 rebuild ``ledger_scoreentry``; on a database that had migration 0002 before
them, the ledger's stamp triggers were gone and cached pages kept stale results. This
drops and creates every SQLite stamp trigger (0002's SQL), so each exists exactly once.
``scoring/tests/test_migrations.py`` migrates a database from 0002 to the latest state and
fails if any trigger is missing, so a later rebuild needs a step like this one.
PostgreSQL alters tables in place, and ledger 0007 carried the triggers to the partitions.
"""

import importlib

from django.db import migrations

stamp = importlib.import_module("kaoping.scoring.migrations.0002_results_stamp")


def reinstall(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in [*stamp._sqlite_backward(), *stamp._sqlite_forward()]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0003_results_without_database_foreign_keys"),
        ("ledger", "0008_indexes_for_the_partitioned_ledger"),
        ('evaluation', '0001_squashed_0002_democratic_evaluation'),
        ('schemes', '0001_squashed_0004_scheme_vote_min_turnout'),
        ('orgs', '0001_squashed_0002_role_branch_committee'),
    ]

    operations = [migrations.RunPython(reinstall, migrations.RunPython.noop)]
