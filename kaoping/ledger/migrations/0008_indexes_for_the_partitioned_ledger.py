"""Fewer, smaller ledger indexes, now that the ledger is partitioned by year.

Every ledger index costs every entry written (an import writes 100,000 at a time), so each
one left has a query or a key of its own (docs/scaling.md, "Indexes, each for a query"):

- ``(year, member_id)`` goes: on PostgreSQL a year is its own partition, so ``member_id``
  inside the partition finds a branch's or a member's year; SQLite reads the same through
  ``member_id`` (about 20 entries a member a year).
- One reversal per entry, ``UNIQUE (reverses_id, year)``, indexed every entry (reversals are
  about 1% of the ledger). On PostgreSQL it becomes a partial unique index over the
  reversals only, under the same name; it also serves the year's reversals, so the partial
  ``ledger_reversal_year`` goes. SQLite keeps Django's ``UNIQUE (reverses_id)``.
- ``recorded_by_id`` is indexed only where it is set: the index is for PROTECT when a user is
  deleted, and imported entries have no recorder.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

KEY = "ledger_scoreentry_reverses_id_key"


def _on_postgresql(*statements: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


ONE_REVERSAL_PARTIAL = _on_postgresql(
    f"ALTER TABLE ledger_scoreentry DROP CONSTRAINT {KEY}",
    f"CREATE UNIQUE INDEX {KEY} ON ledger_scoreentry (reverses_id, year) "
    "WHERE reverses_id IS NOT NULL",
)
ONE_REVERSAL_FULL = _on_postgresql(
    f"DROP INDEX {KEY}",
    f"ALTER TABLE ledger_scoreentry ADD CONSTRAINT {KEY} UNIQUE (reverses_id, year)",
)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0007_partition_by_year"),
        ('orgs', '0001_squashed_0002_role_branch_committee'),
        ('schemes', '0001_squashed_0004_scheme_vote_min_turnout'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(ONE_REVERSAL_PARTIAL, ONE_REVERSAL_FULL),
        migrations.RemoveIndex(
            model_name="scoreentry",
            name="ledger_scor_year_7c8d71_idx",
        ),
        migrations.RemoveIndex(
            model_name="scoreentry",
            name="ledger_reversal_year",
        ),
        migrations.AlterField(
            model_name="scoreentry",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="scoreentry",
            index=models.Index(
                condition=models.Q(("recorded_by__isnull", False)),
                fields=["recorded_by"],
                name="ledger_entry_recorded_by",
            ),
        ),
    ]
