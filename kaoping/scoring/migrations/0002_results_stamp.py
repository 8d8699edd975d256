"""The results stamp (scoring.ResultsStamp) and the triggers that keep it.

PostgreSQL: statement-level triggers with transition tables, so a COPY or a bulk write of
many rows costs one set-based upsert per statement, not one per row; SQLite (development
and tests): row-level triggers."""

from django.db import migrations, models

STAMP = "scoring_resultsstamp"

# table -> how a changed row names the branch(es) whose stamp it changes
BY_MEMBER = [
    "ledger_scoreentry",
    "evaluation_votetally",
    "evaluation_quotadecision",
    "schemes_itemexemption",
    "scoring_graderecord",
]
BY_COLUMN = {"orgs_member": "branch_id", "orgs_organization": "id"}
GLOBAL = ["schemes_scheme", "schemes_schemeitem"]
EVENTS = [("insert", "INSERT", "NEW"), ("update_old", "UPDATE", "OLD"),
          ("update_new", "UPDATE", "NEW"), ("delete", "DELETE", "OLD")]


def _pg_branches(table: str) -> str:
    if table in BY_MEMBER:
        return "SELECT DISTINCT m.branch_id FROM changed c JOIN orgs_member m ON m.id = c.member_id"
    return f"SELECT DISTINCT c.{BY_COLUMN[table]} FROM changed c"


def _pg_forward() -> list[str]:
    sql = []
    for table in [*BY_MEMBER, *BY_COLUMN]:
        sql.append(f"""
            CREATE OR REPLACE FUNCTION kp_stamp_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO {STAMP} (key, token)
                SELECT b, gen_random_uuid()::text FROM ({_pg_branches(table)}) s(b)
                WHERE b IS NOT NULL ORDER BY b
                ON CONFLICT (key) DO UPDATE SET token = EXCLUDED.token;
                RETURN NULL;
            END $$""")
        for suffix, event, image in EVENTS:
            sql.append(f"""
                CREATE TRIGGER kp_stamp_{suffix} AFTER {event} ON {table}
                REFERENCING {image} TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION kp_stamp_{table}()""")
    sql.append(f"""
        CREATE OR REPLACE FUNCTION kp_stamp_global() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {STAMP} (key, token) VALUES (0, gen_random_uuid()::text)
            ON CONFLICT (key) DO UPDATE SET token = EXCLUDED.token;
            RETURN NULL;
        END $$""")
    for table in GLOBAL:
        sql.append(f"""
            CREATE TRIGGER kp_stamp AFTER INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION kp_stamp_global()""")
    # Who recorded an entry is shown by name next to it: a renamed user changes the pages.
    sql.append("""
        CREATE TRIGGER kp_stamp AFTER UPDATE OF username ON auth_user FOR EACH ROW
        WHEN (OLD.username IS DISTINCT FROM NEW.username)
        EXECUTE FUNCTION kp_stamp_global()""")
    return sql


def _pg_backward() -> list[str]:
    sql = []
    for table in [*BY_MEMBER, *BY_COLUMN]:
        for suffix, _, _ in EVENTS:
            sql.append(f"DROP TRIGGER IF EXISTS kp_stamp_{suffix} ON {table}")
        sql.append(f"DROP FUNCTION IF EXISTS kp_stamp_{table}()")
    for table in [*GLOBAL, "auth_user"]:
        sql.append(f"DROP TRIGGER IF EXISTS kp_stamp ON {table}")
    sql.append("DROP FUNCTION IF EXISTS kp_stamp_global()")
    return sql


SQLITE_TOKEN = "lower(hex(randomblob(16)))"
SQLITE_UPSERT = "ON CONFLICT(key) DO UPDATE SET token = excluded.token"


def _sqlite_forward() -> list[str]:
    sql = []
    for table in [*BY_MEMBER, *BY_COLUMN, *GLOBAL]:
        for name, event, images in [
            ("insert", "INSERT", ["NEW"]),
            ("update", "UPDATE", ["OLD", "NEW"]),
            ("delete", "DELETE", ["OLD"]),
        ]:
            body = []
            for image in images:
                if table in BY_MEMBER:
                    select = (f"SELECT m.branch_id, {SQLITE_TOKEN} FROM orgs_member m "
                              f"WHERE m.id = {image}.member_id")
                elif table in BY_COLUMN:
                    select = (f"SELECT {image}.{BY_COLUMN[table]}, {SQLITE_TOKEN} "
                              f"WHERE {image}.{BY_COLUMN[table]} IS NOT NULL")
                else:
                    select = f"SELECT 0, {SQLITE_TOKEN} WHERE 1"
                body.append(f"INSERT INTO {STAMP} (key, token) {select} {SQLITE_UPSERT};")
            sql.append(f"CREATE TRIGGER kp_stamp_{table}_{name} AFTER {event} ON {table} "
                       f"BEGIN {' '.join(body)} END")
    sql.append(f"CREATE TRIGGER kp_stamp_auth_user AFTER UPDATE OF username ON auth_user "
               f"WHEN OLD.username IS NOT NEW.username BEGIN INSERT INTO {STAMP} (key, token) "
               f"SELECT 0, {SQLITE_TOKEN} WHERE 1 {SQLITE_UPSERT}; END")
    return sql


def _sqlite_backward() -> list[str]:
    sql = [f"DROP TRIGGER IF EXISTS kp_stamp_{t}_{n}" for t in [*BY_MEMBER, *BY_COLUMN, *GLOBAL]
           for n in ("insert", "update", "delete")]
    return [*sql, "DROP TRIGGER IF EXISTS kp_stamp_auth_user"]


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements[schema_editor.connection.vendor]():
            schema_editor.execute(statement)
    return run


def _cache_table(apps, schema_editor):
    """The database cache's table (settings.CACHES), where that backend is configured."""
    from django.core.management import call_command

    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


FORWARD = {"postgresql": _pg_forward, "sqlite": _sqlite_forward}
BACKWARD = {"postgresql": _pg_backward, "sqlite": _sqlite_backward}


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0001_initial"),
        ("ledger", "0005_reversal_year_index"),
        ('evaluation', '0001_squashed_0002_democratic_evaluation'),
        ('schemes', '0001_squashed_0004_scheme_vote_min_turnout'),
        ('orgs', '0001_squashed_0002_role_branch_committee'),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="ResultsStamp",
            fields=[
                ("key", models.BigIntegerField(primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=36)),
            ],
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
        migrations.RunPython(_cache_table, migrations.RunPython.noop),
    ]
