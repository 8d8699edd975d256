"""The ledger's partition trigger on ``schemes_scheme`` moves from raw SQL
(ledger/migrations/0007_partition_by_year) to django-pgtrigger: one mechanism for
triggers. Same function, same moment (after the scheme's row is inserted)."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations

RAW = "kp_ledger_partition"


def drop_raw(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {RAW} ON schemes_scheme")


def restore_raw(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE TRIGGER {RAW} AFTER INSERT ON schemes_scheme "
            "FOR EACH ROW EXECUTE FUNCTION kp_ledger_partition_for_scheme()"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('schemes', '0001_squashed_0004_scheme_vote_min_turnout'),
        ('ledger', '0007_partition_by_year'),
    ]

    operations = [
        migrations.RunPython(drop_raw, restore_raw),
        pgtrigger.migrations.AddTrigger(
            model_name='scheme',
            trigger=pgtrigger.compiler.Trigger(name='scheme_ledger_partition', sql=pgtrigger.compiler.UpsertTriggerSql(func='PERFORM kp_ledger_partition(NEW.year); RETURN NULL;', hash='53239d89e17fb224430e1153a6eebf58b8f99a37', operation='INSERT', pgid='pgtrigger_scheme_ledger_partition_776d8', table='schemes_scheme', when='AFTER')),
        ),
    ]
