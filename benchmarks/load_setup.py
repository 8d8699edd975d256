"""Helpers of benchmarks/load.sh.

``python -m benchmarks.load_setup`` prints "session token branch member": a session key
of the benchmark secretary (bench-sec, made by generate.py), a fresh API token of hers,
her branch and a member of it. ``python -m benchmarks.load_setup record SCALE CONNECTIONS
DURATION WORKERS [LOAD_BEFORE]`` reads wrk's JSON lines from standard input and stores
them in the scale's results, with the verdict against the target."""

import json
import sys
import time

from benchmarks.run import HERE, _setup, db_url


def logins() -> str:
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from kaoping.api.services import api_token_create
    from kaoping.orgs.models import Member, RoleAssignment

    user = get_user_model().objects.get(username="bench-sec")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    _, token = api_token_create(actor=None, user=user, name="load test")
    branch = RoleAssignment.objects.get(user=user).organization
    member = Member.objects.filter(branch=branch, status="active").order_by("code").first()
    return f"{session.session_key} {token} {branch.code} {member.code}"


P95_TARGET_MS = 200  # issue 7: p95 <= 200 ms at 50 concurrent users, zero errors
FLOOR = "floor:"  # load.sh's reference page, measured but not a target


def _verdict(name: str, figures: dict) -> str:
    met = figures["p95_ms"] <= P95_TARGET_MS and figures["errors"] == 0
    return f"{name}: {'met' if met else 'missed'} (p95 {figures['p95_ms']:.0f} ms, " + (
        f"{figures['errors']} errors)"
    )


def record(
    scale: str, connections: str, duration: str, workers: str, load_before: str = "nan"
) -> None:
    import os

    from benchmarks.report import write_results

    pages = {}
    for line in sys.stdin:
        if line.strip():
            figures = json.loads(line)
            name = figures.pop("name")
            pages[name] = {
                "p50_ms": figures["p50_us"] / 1000,
                "p95_ms": figures["p95_us"] / 1000,
                "p99_ms": figures["p99_us"] / 1000,
                "rps": figures["requests"] / figures["seconds"],
                "requests": figures["requests"],
                "errors": figures["errors"],
            }
    path = HERE / "results" / f"{scale}.json"
    data = json.loads(path.read_text())
    load_after = os.getloadavg()[0]
    data["load"] = {
        # its own time: a later run of the scale carries the load figures over under it
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "connections": int(connections),
        "duration": duration,
        "workers": int(workers),
        "load_before": float(load_before),
        "load_after": load_after,
        "pages": pages,
    }
    # The verdict is computed from the figures, so it cannot disagree with them; this run
    # replaces the load's verdict and the note that it was carried over unmeasured.
    notes = [
        n
        for n in data.get("notes", [])
        if not n.startswith("Load test")
        and not (n.startswith("Not re-measured") and "): load." in n)
    ]
    notes.append(
        f"Load test (`scripts/bench load`: {workers} gunicorn sync workers, wrk -t2 "
        f"-c{connections}, {duration} after a 5 s warm-up; load average {float(load_before):.1f} "
        f"before, {load_after:.1f} after, the load test itself included). Target p95 <= "
        f"{P95_TARGET_MS} ms with zero errors: "
        + "; ".join(
            _verdict(name, figures) for name, figures in pages.items() if not name.startswith(FLOOR)
        )
        + ". wrk counts a request over its 2 s timeout as an error."
        + "".join(
            f" The floor ({name[len(FLOOR) :].strip()}, a signed-in page that does little): "
            f"{figures['rps']:.0f} req/s, p95 {figures['p95_ms']:.0f} ms."
            for name, figures in pages.items()
            if name.startswith(FLOOR)
        )
        + " See docs/scaling.md."
    )
    data["notes"] = notes
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    write_results()


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "record":
        record(*args[1:])
    else:
        _setup(db_url(args[0] if args else "district"))
        print(logins())
