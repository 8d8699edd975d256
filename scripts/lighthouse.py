"""Runs Lighthouse on each role's main page and checks issue 19's targets.

Called by ``scripts/lighthouse`` with a demo server running on the same data directory:
each role's session is made here with Django's own test client on that database (the
server reads the same sessions), and handed to Lighthouse as a Cookie header.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

TARGETS = {"accessibility": 95, "best-practices": 95, "performance": 90}
# The login of each role in the demo district and the page that is its home.
ROLES = {
    "member": ("member-m0001", "/work/"),
    "secretary": ("sec-b01", "/work/"),
    "committee": ("admin", "/work/"),
    "orgdept": ("orgdept", "/work/"),
    "supervisor": ("supervisor", "/work/"),
    "dashboard": ("admin", "/dash/committee/"),
}
LIGHTHOUSE = "lighthouse@12.2.3"


def session_cookie(username: str) -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def run(url: str, cookie: str, size: str, out: Path) -> dict[str, int]:
    args = [
        "npx",
        "--yes",
        LIGHTHOUSE,
        url,
        "--quiet",
        "--only-categories=performance,accessibility,best-practices",
        "--output=json",
        "--output=html",
        f"--output-path={out}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--extra-headers",
        json.dumps({"Cookie": cookie}),
        "--locale=zh",
    ]
    if size == "desktop":
        args.append("--preset=desktop")
    subprocess.run(args, check=True)  # noqa: S603  (a fixed command; the URL is our own)
    report = json.loads(Path(f"{out}.report.json").read_text(encoding="utf-8"))
    if "/login/" in report.get("finalDisplayedUrl", ""):
        sys.exit(f"{url}: the session was not accepted (landed on the login page)")
    scores = {k: round(100 * (c["score"] or 0)) for k, c in report["categories"].items()}
    failing = [
        f"  {a['id']}: {a['title']}"
        for a in report["audits"].values()
        if a.get("score") is not None and a["score"] < 0.9 and a.get("scoreDisplayMode") == "binary"
    ]
    if failing:
        print(f"{url} ({size}) failing audits:\n" + "\n".join(failing))
    return scores


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--roles", nargs="*", default=list(ROLES))
    options = parser.parse_args()
    rows, below = [], []
    for role in options.roles:
        username, path = ROLES[role]
        cookie = session_cookie(username)
        for size in ("mobile", "desktop"):
            scores = run(options.base + path, cookie, size, options.out / f"{role}-{size}")
            rows.append((role, path, size, scores))
            below += [
                f"{role} {size} {k} {scores.get(k)} < {v}"
                for k, v in TARGETS.items()
                if scores.get(k, 0) < v
            ]
    print("| role | page | size | performance | accessibility | best practices |")
    print("| --- | --- | --- | --- | --- | --- |")
    for role, path, size, s in rows:
        print(
            f"| {role} | {path} | {size} | {s.get('performance')} | {s.get('accessibility')} "
            f"| {s.get('best-practices')} |"
        )
    if below:
        print("Below the targets:\n" + "\n".join(below))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
