"""The keys (issue 15, item 3): production refuses to start without its own; a local
installation makes its own once, into its data directory; the ledger's chain key never
derives from SECRET_KEY, so rotating that one leaves the chain verifying and the old public
default key forges nothing. Run through the ``kaoping`` console script, as a user would
(local settings, keys from the environment or the data directory)."""

import os
import stat
import subprocess  # noqa: S404
import sys

import pytest

from kaoping.testing.cli import kaoping
from kaoping.testing.examples import EXAMPLES

BUNDLE = str(EXAMPLES / "small-district.bundle.json")
# The key the local settings used to fall back to: "ledger:" + the SECRET_KEY that was
# written in config/settings/local.py for everyone to read.
OLD_PUBLIC_KEY = "ledger:local-only-not-secret"
# A new database is migrated by the first command: minutes on a loaded machine.
LONG = 600

# Rewrites one entry's note and recomputes its chain with a given key, behind the
# application's back (on PostgreSQL, as a superuser with the ledger's triggers off).
FORGE = """
from django.db import connection, transaction
from kaoping.ledger.chain import entry_hash
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import _content
key = {key!r}.encode()
first = ScoreEntry.objects.order_by("chain_key", "chain_seq").first()
rows = list(ScoreEntry.objects.select_related("member", "item", "reverses")
            .filter(chain_key=first.chain_key).order_by("chain_seq"))
rows[0].note = "伪造 forged"
previous = ""
with transaction.atomic(), connection.cursor() as cursor:
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL session_replication_role = replica")
    for e in rows:
        content = _content(e, e.member.code, e.item.code, e.reverses.code if e.reverses else None)
        previous = entry_hash(previous, content, key=key)
        cursor.execute(
            "UPDATE ledger_scoreentry SET note = %s, chain_hash = %s WHERE id = %s",
            [e.note, previous, e.pk],
        )
print("forged", len(rows))
"""


@pytest.fixture
def local(tmp_path):
    """The environment of a new local installation: its own data directory, no keys set
    (an empty variable counts as unset)."""
    data_dir = tmp_path / "var"
    return data_dir, {
        "KAOPING_DATA_DIR": str(data_dir),
        "KAOPING_SECRET_KEY": "",
        "KAOPING_LEDGER_KEY": "",
        "KAOPING_SLIP_KEY": "",
    }


@pytest.mark.parametrize(
    "missing", ["KAOPING_SECRET_KEY", "KAOPING_LEDGER_KEY", "KAOPING_SLIP_KEY"]
)
def test_production_refuses_to_start_without_each_key(missing):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "KAOPING_SECRET_KEY": "a-secret-key-of-this-test",
        "KAOPING_LEDGER_KEY": "a-ledger-key-of-this-test",
        "KAOPING_SLIP_KEY": "a-slip-key-of-this-test",
    }
    del env[missing]
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode != 0
    assert "ImproperlyConfigured" in proc.stderr
    assert f"生产环境必须设置 {missing}" in proc.stderr


def test_a_new_local_installation_makes_its_keys_once(local, empty_database_url):
    data_dir, env = local
    url = empty_database_url()
    kaoping(url, "verify-ledger", env=env, timeout=LONG)
    paths = [data_dir / "secret-key", data_dir / "ledger-key", data_dir / "slip-key"]
    keys = [p.read_text() for p in paths]
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(set(keys)) == 3 and all(len(k.strip()) >= 40 for k in keys)
    assert "local-only-not-secret" not in "".join(keys)
    kaoping(url, "verify-ledger", env=env, timeout=LONG)
    assert [p.read_text() for p in paths] == keys  # made once, used from then on
    assert sorted(p.name for p in data_dir.iterdir() if "key" in p.name) == [
        "ledger-key",
        "secret-key",
        "slip-key",
    ]


def test_the_chain_key_is_not_the_secret_key_nor_the_old_default(local, empty_database_url):
    """Rotating SECRET_KEY leaves every entry verifying; a chain recomputed with the key
    that used to derive from the public SECRET_KEY of the local settings does not verify."""
    _, env = local
    url = empty_database_url()
    first = env | {"KAOPING_SECRET_KEY": "first-secret-key"}
    kaoping(url, "import-bundle", BUNDLE, env=first, timeout=LONG)
    rotated = env | {"KAOPING_SECRET_KEY": "rotated-secret-key"}
    assert "the ledger is intact" in kaoping(url, "verify-ledger", env=rotated, timeout=LONG)
    assert "the ledger is intact" in kaoping(url, "verify-ledger", env=env, timeout=LONG)
    forge = FORGE.format(key=OLD_PUBLIC_KEY)
    assert "forged" in kaoping(url, "shell", "-c", forge, env=env, timeout=LONG)
    proc = kaoping(url, "verify-ledger", check=False, env=env, timeout=LONG)
    assert proc.returncode != 0
    assert "changed since it was recorded" in proc.stderr
