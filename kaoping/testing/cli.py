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


def kaoping_measured(
    database_url: str, *args: str, memory_limit: int = 2 * 1024**3
) -> tuple[subprocess.CompletedProcess, int]:
    """Run ``kaoping`` like ``kaoping(check=False)``, with its address space capped at
    ``memory_limit`` bytes (a runaway fails instead of taking the machine), and return the
    finished process and its own peak resident memory in bytes (``wait4``'s rusage of that
    one child, not of every child this process has had)."""
    import resource
    import tempfile

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["KAOPING_DATABASE_URL"] = database_url

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "kaoping.cli", *args],
            stdout=out,
            stderr=err,
            env=env,
            preexec_fn=cap,  # noqa: PLW1509 - no threads are started before the exec
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(
            proc.args,
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )
    return done, usage.ru_maxrss * 1024  # kilobytes on Linux
