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


# A small launcher that forks the measured command itself and writes the command's peak
# resident memory to a file. A process forked from the test process would count the test
# process's own pages, resident at the fork, as its peak (Linux keeps the high-water mark
# across exec): a pytest worker grown to 350 MB made a 150 MB command look like 350 MB.
_LAUNCHER = """
import os, resource, sys
limit, report, args = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.execv(sys.executable, [sys.executable, "-m", "kaoping.cli", *args])
_pid, status, usage = os.wait4(pid, 0)
with open(report, "w") as out:
    out.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def kaoping_measured(
    database_url: str, *args: str, memory_limit: int = 2 * 1024**3
) -> tuple[subprocess.CompletedProcess, int]:
    """Run ``kaoping`` like ``kaoping(check=False)``, with its address space capped at
    ``memory_limit`` bytes (a runaway fails instead of taking the machine), and return the
    finished process and its own peak resident memory in bytes (``wait4``'s rusage of the
    command, forked by a small launcher so that none of this process's memory counts)."""
    import tempfile

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["KAOPING_DATABASE_URL"] = database_url
    with tempfile.TemporaryDirectory() as folder:
        report = os.path.join(folder, "peak")
        proc = subprocess.run(  # noqa: S603
            [sys.executable, "-c", _LAUNCHER, str(memory_limit), report, *args],
            capture_output=True,
            env=env,
            check=False,
        )
        with open(report) as source:
            peak = int(source.read()) * 1024  # kilobytes on Linux
    done = subprocess.CompletedProcess(
        proc.args,
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )
    return done, peak
