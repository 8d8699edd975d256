"""Run the ``kaoping`` console script in a subprocess, as a user would."""

import os
import subprocess  # noqa: S404
import sys


def kaoping(
    database_url: str,
    *args: str,
    check: bool = True,
    env: dict | None = None,
    timeout: float = 120,
) -> str:
    """Its standard output; with ``check=False`` the finished process. ``env`` adds to the
    environment (e.g. KAOPING_TASKS); ``timeout`` (seconds) bounds a command that migrates
    a new database on a loaded machine."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"} | (env or {})
    env["KAOPING_DATABASE_URL"] = database_url
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "kaoping.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"kaoping {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc.stdout if check else proc
