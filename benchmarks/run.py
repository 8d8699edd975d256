"""The benchmark suite: ``scripts/bench [district|city|province] [--reuse] [--keep]``.

Creates ``kp_bench_<scale>`` on the local PostgreSQL (``KAOPING_BENCH_SERVER``, default
``postgres://postgres@127.0.0.1:5432``), migrates it, fills it with benchmarks/generate.py,
then runs each measurement in a fresh Python process (so its peak memory is its own) and
writes the figures to benchmarks/results/<scale>.json and benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SERVER = os.environ.get("KAOPING_BENCH_SERVER", "postgres://postgres@127.0.0.1:5432")
# The databases' names start with this: another prefix keeps a run apart from one that
# uses kp_bench_<scale> at the same time on a shared server (the import's database too).
PREFIX = os.environ.get("KAOPING_BENCH_PREFIX", "kp_bench_")
YEAR = 2026


def db_url(scale: str) -> str:
    return f"{SERVER}/{PREFIX}{scale}"


def _setup(url: str) -> None:
    os.environ["KAOPING_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- measurements
# Each runs in its own process: ``python -m benchmarks.run measure NAME SCALE``.


def m_group_by(scale: str) -> dict:
    """The floor: a bare GROUP BY member sum over the same entries."""
    from django.db import connection

    with connection.cursor() as cur:
        t0 = time.perf_counter()
        cur.execute(
            "SELECT member_id, SUM(points) FROM ledger_scoreentry WHERE year = %s "
            "GROUP BY member_id",
            [YEAR],
        )
        rows = len(cur.fetchall())
        seconds = time.perf_counter() - t0
    return {"seconds": seconds, "rows": rows}


def m_compute(scale: str) -> dict:
    """``kaoping compute``: the whole year computed and stored."""
    from kaoping.scoring.services import results_compute

    baseline = _peak_mb()
    t0 = time.perf_counter()
    count = results_compute(actor=None, year=YEAR)
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "members": count,
        "peak_rss_mb": _peak_mb(),
        "baseline_rss_mb": baseline,
    }


def m_branch(scale: str) -> dict:
    """One new entry in a branch, then that branch's live results (the branch page's
    computation) and its stored results (publication), timed separately."""
    import datetime

    from kaoping.ledger.services import entry_record
    from kaoping.orgs.models import Member
    from kaoping.schemes.models import Scheme
    from kaoping.scoring.selectors import live_results
    from kaoping.scoring.services import branch_results_store

    scheme = Scheme.objects.get(year=YEAR)
    member = (
        Member.objects.filter(status="active", branch__category="in_service")
        .select_related("branch")
        .order_by("id")[len(scheme.items.all()) * 7]
    )
    item = scheme.items.get(code="D02")
    timings = {"record": [], "live": [], "store": []}
    for _ in range(5):
        t0 = time.perf_counter()
        entry_record(actor=None, member=member, item=item, date=datetime.date(YEAR, 11, 30))
        t1 = time.perf_counter()
        results = live_results(scheme=scheme, branches=[member.branch])
        t2 = time.perf_counter()
        branch_results_store(actor=None, scheme=scheme, branch=member.branch)
        t3 = time.perf_counter()
        timings["record"].append(t1 - t0)
        timings["live"].append(t2 - t1)
        timings["store"].append(t3 - t2)
    return {
        "branch_members": len(results),
        **{f"{k}_ms_median": sorted(v)[len(v) // 2] * 1000 for k, v in timings.items()},
    }


def import_bundle(scale: str) -> dict:
    """Export the scale's year as a bundle, then time ``kaoping import-bundle`` of it into a
    new empty database (kp_bench_import), with the importing process's peak memory."""
    bundle = Path(tempfile.gettempdir()) / f"kp-bench-{scale}.bundle.json"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings"}
    with bundle.open("w") as out:
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "export_bundle", "--year", str(YEAR)],
            cwd=ROOT, check=True, stdout=out,
            env={**env, "KAOPING_DATABASE_URL": db_url(scale)},
        )  # fmt: skip
    data = json.loads(bundle.read_text())
    entries, members = len(data["entries"]), len(data["members"])
    del data
    _psql(f"DROP DATABASE IF EXISTS {PREFIX}import")
    _psql(f"CREATE DATABASE {PREFIX}import")
    target = {**env, "KAOPING_DATABASE_URL": db_url("import")}
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "benchmarks.run", "migrate", "import"], cwd=ROOT, check=True
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "benchmarks.run", "import", str(bundle)],
        cwd=ROOT, env=target, capture_output=True, text=True, check=False,
    )  # fmt: skip
    _psql(f"DROP DATABASE IF EXISTS {PREFIX}import")
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "entries": entries,
        "members": members,
        "bytes": bundle.stat().st_size,
        **figures,
        "entries_per_second": entries / figures["seconds"],
    }


def m_import(path: str) -> dict:
    """``kaoping import-bundle PATH`` in this process, timed, with its peak memory."""
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("import_bundle", path, stdout=sys.stderr)
    return {"seconds": time.perf_counter() - t0, "peak_rss_mb": _peak_mb()}


MEASURES = {"group_by": m_group_by, "compute": m_compute, "branch": m_branch}


def measure_in_subprocess(name: str, scale: str) -> dict:
    out = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "benchmarks.run", "measure", name, scale],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- orchestration


def _psql(sql: str) -> None:
    subprocess.run(  # noqa: S603
        ["psql", f"{SERVER}/postgres", "-q", "-c", sql],  # noqa: S607
        check=True,
    )


def prepare(scale: str, reuse: bool) -> dict | None:
    """Create, migrate and fill kp_bench_<scale>; returns generation figures."""
    exists = (
        subprocess.run(  # noqa: S603
            ["psql", f"{SERVER}/postgres", "-Atc",  # noqa: S607
             f"SELECT 1 FROM pg_database WHERE datname = '{PREFIX}{scale}'"],
            check=True, capture_output=True, text=True,
        ).stdout.strip() == "1"
    )  # fmt: skip
    if exists and reuse:
        subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "benchmarks.run", "migrate", scale], cwd=ROOT, check=True
        )
        return None
    if exists:
        _psql(f"DROP DATABASE {PREFIX}{scale}")
    _psql(f"CREATE DATABASE {PREFIX}{scale}")
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "benchmarks.run", "generate", scale],
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    pg = subprocess.run(  # noqa: S603
        ["psql", f"{SERVER}/postgres", "-Atc", "SHOW server_version"],  # noqa: S607
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_gb, 1),
        "python": platform.python_version(),
        "postgresql": pg,
        "load_before": os.getloadavg()[0],
    }


def run_suite(scale: str, reuse: bool, keep: bool, generate_only: bool = False) -> dict:
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    result: dict = {"scale": scale, "date": started, "machine": machine()}
    t0 = time.perf_counter()
    gen = prepare(scale, reuse)
    if gen is not None:
        gen["seconds"] = time.perf_counter() - t0
        result["generate"] = gen
        (HERE / "results").mkdir(exist_ok=True)
        (HERE / "results" / f"{scale}.generate.json").write_text(json.dumps(gen) + "\n")
    if generate_only:
        return result
    # Two rounds of the floor and the computation, best of each (the machine is shared);
    # one at province scale, where a round takes minutes.
    rounds = int(os.environ.get("KAOPING_BENCH_ROUNDS", "1" if scale == "province" else "2"))
    for name in ("group_by", "compute") * rounds + ("branch",):
        figures = measure_in_subprocess(name, scale)
        print(f"{scale} {name}: {figures}", flush=True)
        if name in result and result[name]["seconds"] <= figures["seconds"]:
            continue
        result[name] = figures
    result["ratio_compute_to_group_by"] = (
        result["compute"]["seconds"] / result["group_by"]["seconds"]
    )
    result["machine"]["load_after"] = os.getloadavg()[0]
    out = HERE / "results" / f"{scale}.json"
    out.parent.mkdir(exist_ok=True)
    previous = json.loads(out.read_text()) if out.exists() else {}
    generated = HERE / "results" / f"{scale}.generate.json"
    if "generate" not in result and generated.exists():
        result["generate"] = json.loads(generated.read_text())
    elif "generate" not in result and "generate" in previous:
        result["generate"] = previous["generate"]
    if os.environ.get("KAOPING_BENCH_IMPORT", "1" if scale == "district" else "0") == "1":
        result["import"] = import_bundle(scale)
        print(f"{scale} import: {result['import']}", flush=True)
    carried = [e for e in ("import", "load") if e in previous and e not in result]
    for extra in carried:
        result[extra] = previous[extra]
        # the figure keeps the date it was measured on, and its note, across runs
        result[extra].setdefault("date", previous["date"])
    if carried:
        result["notes"] = [
            f"Not re-measured in this run ({previous[e]['date']}): {e}."
            + (f" {previous[e]['note']}" if previous[e].get("note") else "")
            for e in carried
        ]
        if "load" in carried:  # the carried load figures keep their verdict
            result["notes"] += [n for n in previous.get("notes", []) if n.startswith("Load test")]
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    if not keep and scale == "province":
        _psql(f"DROP DATABASE {PREFIX}{scale}")
    from benchmarks.report import write_results

    write_results()
    return result


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "measure":
        name, scale = args[1], args[2]
        _setup(db_url(scale))
        print(json.dumps(MEASURES[name](scale)))
        return
    if args and args[0] == "import":
        _setup(os.environ["KAOPING_DATABASE_URL"])
        print(json.dumps(m_import(args[1])))
        return
    if args and args[0] == "migrate":
        _setup(db_url(args[1]))
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return
    if args and args[0] == "generate":
        scale = args[1]
        _setup(db_url(scale))
        from django.core.management import call_command

        from benchmarks.generate import SCALES, generate

        call_command("migrate", verbosity=0)

        def log(msg: str) -> None:
            print(msg, file=sys.stderr, flush=True)

        figures = generate(SCALES[scale], log=log)
        figures["peak_rss_mb"] = _peak_mb()
        print(json.dumps(figures))
        return
    parser = argparse.ArgumentParser(prog="scripts/bench")
    parser.add_argument("scale", choices=["district", "city", "province"])
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--keep", action="store_true", help="keep the province database")
    parser.add_argument("--generate-only", action="store_true", help="only fill the database")
    ns = parser.parse_args(args)
    run_suite(ns.scale, ns.reuse, ns.keep or ns.generate_only, ns.generate_only)


if __name__ == "__main__":
    main()
