"""PostgreSQL: the ledger partitioned by year (docs/scaling.md, "The ledger partitioned by year").

The table is rebuilt as ``PARTITION BY LIST (year)``, one partition a year
(``ledger_scoreentry_y2026``) plus a default one, and the rows are copied across. Every
index, constraint and trigger of the old table is made again under its own name, except
that PostgreSQL requires each unique key of a partitioned table to hold ``year``: the
primary key becomes ``(id, year)`` and the one-reversal-per-entry key ``(reverses_id,
year)`` (a reversal is always of its own year, so that is the same rule). Django's state
still says ``id`` alone and ``reverses_id`` alone; neither field is ever altered.

Nothing can hold a foreign key to ``id`` any more. The links to an entry (``reverses`` and
every ``db_constraint=False`` field pointing at ``ScoreEntry``) get the deferred constraint
trigger ``kp_entry_exists`` instead. New partitions come from ``kp_ledger_partition(year)``,
called by a trigger when a year's scheme is created (an entry needs its year's scheme), so
each year's entries land in their own partition; a row of a year without one lands in the
default partition. Row triggers of the parent reach every partition; TRUNCATE triggers do
not, so each partition gets the ledger's truncate guard itself.

SQLite: nothing changes.
"""

import re

from django.db import migrations
from django.db.migrations.exceptions import IrreversibleError

LEDGER = "ledger_scoreentry"
OLD = "ledger_scoreentry_unpartitioned"

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION kp_ledger_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('kaoping.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'kaoping: the ledger is append-only; TRUNCATE of % is refused', TG_TABLE_NAME;
END $$;

CREATE OR REPLACE FUNCTION kp_ledger_partition(y integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    part text := format('{LEDGER}_y%s', y);
BEGIN
    IF to_regclass(part) IS NOT NULL THEN
        RETURN;
    END IF;
    -- Rows of that year already in the default partition stay there: moving them would
    -- be an UPDATE of the ledger.
    IF EXISTS (SELECT 1 FROM {LEDGER}_default WHERE year = y) THEN
        RETURN;
    END IF;
    EXECUTE format('CREATE TABLE %I PARTITION OF {LEDGER} FOR VALUES IN (%s)', part, y);
    EXECUTE format('CREATE TRIGGER kp_no_truncate BEFORE TRUNCATE ON %I '
                   'FOR EACH STATEMENT EXECUTE FUNCTION kp_ledger_no_truncate()', part);
END $$;

CREATE OR REPLACE FUNCTION kp_ledger_partition_for_scheme() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM kp_ledger_partition(NEW.year);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION kp_entry_exists() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ref bigint := (to_jsonb(NEW) ->> TG_ARGV[0])::bigint;
BEGIN
    IF ref IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {LEDGER} WHERE id = ref) THEN
        RAISE foreign_key_violation USING MESSAGE = format(
            '%s.%s = %s: there is no such ledger entry', TG_TABLE_NAME, TG_ARGV[0], ref);
    END IF;
    RETURN NULL;
END $$;
"""


def _entry_exists_trigger(table: str, column: str) -> str:
    return (
        f"CREATE CONSTRAINT TRIGGER kp_entry_exists AFTER INSERT OR UPDATE OF {column} "
        f"ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
        f"WHEN (NEW.{column} IS NOT NULL) EXECUTE FUNCTION kp_entry_exists('{column}')"
    )


def _with_year(definition: str) -> str:
    """``UNIQUE (reverses_id)`` -> ``UNIQUE (reverses_id, year)``; keys holding year stay."""
    columns = re.search(r"\((.*)\)", definition).group(1)
    if "year" in [c.strip() for c in columns.split(",")]:
        return definition
    return definition.replace(f"({columns})", f"({columns}, year)", 1)


def _links(apps) -> list[tuple[str, str]]:
    """(table, column) of every field that points at an entry without a foreign key."""
    entry = apps.get_model("ledger", "ScoreEntry")
    return sorted(
        (model._meta.db_table, field.column)
        for model in apps.get_models()
        for field in model._meta.local_fields
        if field.is_relation and field.related_model is entry and not field.db_constraint
    )


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cur:

        def rows(sql: str) -> list[tuple]:
            cur.execute(sql)
            return cur.fetchall()

        oid = f"'{LEDGER}'::regclass"
        triggers = rows(
            "SELECT pg_get_triggerdef(oid), tgname, obj_description(oid, 'pg_trigger') "
            f"FROM pg_trigger WHERE tgrelid = {oid} AND NOT tgisinternal"
        )
        constraints = rows(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            f"WHERE conrelid = {oid} AND contype IN ('p', 'u', 'f') ORDER BY contype DESC"
        )
        indexes = rows(
            f"SELECT indexdef FROM pg_indexes WHERE tablename = '{LEDGER}' AND indexname NOT IN "
            f"(SELECT conname FROM pg_constraint WHERE conrelid = {oid})"
        )
        years = [
            y
            for (y,) in rows(
                f"SELECT year FROM {LEDGER} UNION SELECT year FROM schemes_scheme ORDER BY 1"
            )
        ]
        cur.execute(FUNCTIONS)
        cur.execute(f"ALTER TABLE {LEDGER} RENAME TO {OLD}")
        cur.execute(
            f"CREATE TABLE {LEDGER} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
            "INCLUDING IDENTITY) PARTITION BY LIST (year)"
        )
        cur.execute(f"CREATE TABLE {LEDGER}_default PARTITION OF {LEDGER} DEFAULT")
        cur.execute(
            f"CREATE TRIGGER kp_no_truncate BEFORE TRUNCATE ON {LEDGER}_default "
            "FOR EACH STATEMENT EXECUTE FUNCTION kp_ledger_no_truncate()"
        )
        for year in years:
            cur.execute("SELECT kp_ledger_partition(%s)", [year])
        cur.execute(f"INSERT INTO {LEDGER} SELECT * FROM {OLD}")
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{LEDGER}', 'id'), "
            f"GREATEST((SELECT MAX(id) FROM {LEDGER}), 0) + 1, false)"
        )
        cur.execute(f"DROP TABLE {OLD}")
        for name, definition in constraints:
            if not definition.startswith("FOREIGN KEY"):
                definition = _with_year(definition)
            cur.execute(f'ALTER TABLE {LEDGER} ADD CONSTRAINT "{name}" {definition}')
        for (definition,) in indexes:
            cur.execute(definition)
        for definition, name, comment in triggers:
            cur.execute(definition)
            if comment:
                cur.execute(f'COMMENT ON TRIGGER "{name}" ON {LEDGER} IS %s', [comment])
        cur.execute(_entry_exists_trigger(LEDGER, "reverses_id"))
        for table, column in _links(apps):
            if table != LEDGER:
                cur.execute(_entry_exists_trigger(table, column))
        cur.execute(
            "CREATE TRIGGER kp_ledger_partition AFTER INSERT ON schemes_scheme "
            "FOR EACH ROW EXECUTE FUNCTION kp_ledger_partition_for_scheme()"
        )


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        raise IrreversibleError("the partitioned ledger is not copied back into one table")


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0006_keys_within_a_year"),
        ('schemes', '0001_squashed_0004_scheme_vote_min_turnout'),
    ]

    operations = [migrations.RunPython(partition, unpartition)]
