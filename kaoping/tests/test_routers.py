"""The primary/replica router (kaoping/routers.py), against a real streaming replica.

The fixture builds its own small primary with ``initdb`` and a hot standby of it with
``pg_basebackup -R`` (PostgreSQL binaries from /usr/lib/postgresql/15/bin, or
``KAOPING_PG_BIN``), on two free loopback ports in a temporary directory: the shared
server on 5432 holds other people's databases (gigabytes of them during benchmarks) and
allows no replication connections. The scenario runs in a child process whose settings
name the primary as ``default`` and the standby as ``replica``. The test is skipped, with
the reason, only when such a pair cannot be started here.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS
from django.test import RequestFactory

from kaoping.routers import PIN_COOKIE, PrimaryReplicaRouter, ReplicaReadsMiddleware, replica_reads

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("KAOPING_PG_BIN", "/usr/lib/postgresql/15/bin"))


def test_without_a_replica_everything_stays_on_the_primary():
    router = PrimaryReplicaRouter()
    with replica_reads():
        assert router.db_for_read(None) == DEFAULT_DB_ALIAS
    assert router.db_for_write(None) == DEFAULT_DB_ALIAS
    assert router.allow_migrate("replica", "orgs") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "orgs") is True


def test_middleware_sets_no_cookie_without_a_replica():
    from django.http import HttpResponse

    middleware = ReplicaReadsMiddleware(lambda request: HttpResponse("ok"))
    response = middleware(RequestFactory().post("/x/"))
    assert PIN_COOKIE not in response.cookies


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _run(cmd: list[str]) -> None:
    subprocess.run(  # noqa: S603 - fixed PostgreSQL binaries
        _as_postgres(cmd), check=True, capture_output=True, text=True, timeout=120
    )


def _stop(data_dirs: list[Path]) -> None:
    for data in reversed(data_dirs):
        cmd = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
        subprocess.run(_as_postgres(cmd), check=False, capture_output=True)  # noqa: S603


@pytest.fixture(scope="module")
def streaming_pair():
    """(primary URL, replica URL) of a primary and its streaming hot standby."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"no PostgreSQL server binaries in {PG_BIN}")
    base = Path(tempfile.mkdtemp(prefix="kaoping-replica-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    primary, replica = base / "primary", base / "replica"
    ports = _free_port(), _free_port()
    started = []
    try:
        _run([str(PG_BIN / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust",
              "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])  # fmt: skip
        with (primary / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {ports[0]}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{base}'\nwal_level = replica\n"
                "max_wal_senders = 4\nfsync = off\nshared_buffers = 16MB\n"
            )
        _run([str(PG_BIN / "pg_ctl"), "-D", str(primary), "-l", str(base / "primary.log"),
              "-w", "start"])  # fmt: skip
        started.append(primary)
        _run([str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(ports[0]),
              "-U", "postgres", "-D", str(replica), "-R", "-X", "stream"])  # fmt: skip
        with (replica / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {ports[1]}\nhot_standby = on\n")
        _run([str(PG_BIN / "pg_ctl"), "-D", str(replica), "-l", str(base / "replica.log"),
              "-w", "start"])  # fmt: skip
        started.append(replica)
        _run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(ports[0]), "-U",
              "postgres", "kaoping"])  # fmt: skip
    except (subprocess.SubprocessError, OSError) as exc:
        detail = getattr(exc, "stderr", "") or ""
        _stop(started)
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"cannot start a primary and a streaming replica here: {exc} {detail}")
    try:
        yield (
            f"postgres://postgres@127.0.0.1:{ports[0]}/kaoping",
            f"postgres://postgres@127.0.0.1:{ports[1]}/kaoping",
        )
    finally:
        _stop(started)
        shutil.rmtree(base, ignore_errors=True)


SCENARIO = textwrap.dedent(
    """
    import json, time
    import django
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kaoping.orgs.models import Organization
    from kaoping.orgs.services import organization_upsert
    from kaoping.routers import PIN_COOKIE, replica_reads

    def caught_up():
        with connections["default"].cursor() as c:
            c.execute("SELECT pg_current_wal_lsn()")
            lsn = c.fetchone()[0]
        for _ in range(300):
            with connections["replica"].cursor() as c:
                c.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
                if c.fetchone()[0]:
                    return
            time.sleep(0.05)
        raise RuntimeError("the replica did not catch up")

    out = {}
    call_command("migrate", verbosity=0)
    root = organization_upsert(actor=None, code="W", name="工委", kind="committee", parent=None)
    caught_up()
    with connections["replica"].cursor() as c:
        c.execute("SELECT pg_is_in_recovery()")
        out["replica_in_recovery"] = c.fetchone()[0]
    replica = CaptureQueriesContext(connections["replica"])
    primary = CaptureQueriesContext(connections["default"])
    with replica, primary, replica_reads():
        out["read_from_replica"] = Organization.objects.get(code="W").name
        out["replica_queries_read"] = len(replica.captured_queries)
        with transaction.atomic():
            before = len(replica.captured_queries)
            Organization.objects.filter(code="W").exists()
            out["replica_queries_in_atomic"] = len(replica.captured_queries) - before
        before = len(replica.captured_queries)
        organization_upsert(actor=None, code="P1", name="党委", kind="party_committee",
                            parent=root)
        out["replica_queries_by_service"] = len(replica.captured_queries) - before
    out["primary_has_write"] = Organization.objects.filter(code="P1").exists()
    try:
        with connections["replica"].cursor() as c:
            c.execute("CREATE TABLE refused (i int)")
        out["replica_refuses_writes"] = False
    except Exception as exc:
        out["replica_refuses_writes"] = "read-only" in str(exc)

    # Pages: a GET reads from the replica; after a POST the browser is pinned to the primary.
    user = get_user_model().objects.create_user("reader", password="pass-for-tests-1")
    client = Client()
    client.force_login(user)
    caught_up()
    with CaptureQueriesContext(connections["replica"]) as r:
        out["get_status"] = client.get("/api/me").status_code
    out["replica_queries_get"] = len(r.captured_queries)
    response = client.post("/api/me")  # any write request pins, whatever its answer
    out["pinned_after_post"] = PIN_COOKIE in response.cookies
    with CaptureQueriesContext(connections["replica"]) as r:
        out["get_status_after_post"] = client.get("/api/me").status_code
    out["replica_queries_after_post"] = len(r.captured_queries)
    print(json.dumps(out))
    """
)


def test_reads_go_to_the_streaming_replica_and_writes_to_the_primary(streaming_pair):
    primary_url, replica_url = streaming_pair
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "KAOPING_DATABASE_URL": primary_url,
        "KAOPING_REPLICA_URL": replica_url,
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", SCENARIO],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["replica_in_recovery"] is True
    assert out["read_from_replica"] == "工委"
    assert out["replica_queries_read"] >= 1
    assert out["replica_queries_in_atomic"] == 0  # a transaction reads its own writes
    assert out["replica_queries_by_service"] == 0
    assert out["primary_has_write"] is True
    assert out["replica_refuses_writes"] is True
    assert out["get_status"] == 200
    assert out["replica_queries_get"] >= 1
    assert out["pinned_after_post"] is True
    assert out["get_status_after_post"] == out["get_status"]
    assert out["replica_queries_after_post"] == 0
