"""Renders benchmarks/RESULTS.md from benchmarks/results/*.json (what the suite measured)."""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["district", "city", "province"]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def section(r: dict) -> list[str]:
    m = r["machine"]
    lines = [
        f"## {r['scale']}",
        "",
        f"Measured {r['date']} on {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, "
        f"PostgreSQL {m['postgresql']}, Python {m['python']}; load average "
        f"{m['load_before']:.1f} before, {m.get('load_after', 0):.1f} after "
        "(the machine is shared with other jobs).",
        "",
        "| figure | value |",
        "| --- | --- |",
    ]
    g = r.get("generate")
    if g:
        lines.append(
            f"| generated | {g['members']:,} members, {g['branches']:,} branches, "
            f"{g['entries']:,} entries ({g['reversals']:,} reversals), {g['tallies']:,} "
            f"tally rows in {g['seconds']:.0f} s (generator peak {g['peak_rss_mb']:.0f} MB) |"
        )
    c = r["compute"]
    lines += [
        f"| bare `GROUP BY member` sum | {_ms(r['group_by']['seconds'])} |",
        f"| full computation (`kaoping compute`, {c['members']:,} results stored) "
        f"| {_ms(c['seconds'])} |",
        f"| ratio computation / GROUP BY | {r['ratio_compute_to_group_by']:.2f} |",
        f"| peak memory of the computing process (RSS) | {c['peak_rss_mb']:.0f} MB "
        f"(of which {c['baseline_rss_mb']:.0f} MB before it started) |",
    ]
    b = r.get("branch")
    if b:
        lines += [
            f"| one new entry in a branch of {b['branch_members']} (recording, median of 5) "
            f"| {b['record_ms_median']:.0f} ms |",
            f"| that branch's live results after it | {b['live_ms_median']:.0f} ms |",
            f"| that branch's stored results rewritten | {b['store_ms_median']:.0f} ms |",
        ]
    imp = r.get("import")
    if imp:
        lines.append(
            f"| bundle import ({imp['entries']:,} entries, {imp['members']:,} members) | "
            f"{imp['seconds']:.1f} s = {imp['entries_per_second']:,.0f} entries/s, peak "
            f"{imp['peak_rss_mb']:.0f} MB |"
        )
    load = r.get("load")
    if load:
        for name, figures in load["pages"].items():
            lines.append(
                f"| load: {name} ({load['connections']} connections, {load['duration']}) | "
                f"p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, p99 "
                f"{figures['p99_ms']:.0f} ms, {figures['rps']:.0f} req/s, "
                f"{figures['errors']} errors |"
            )
    notes = r.get("notes")
    for note in notes or ():
        lines += ["", note]
    return [*lines, ""]


def write_results() -> None:
    results = {}
    for path in sorted((HERE / "results").glob("*.json")):
        if path.name.count(".") > 1:  # <scale>.generate.json
            continue
        data = json.loads(path.read_text())
        results[data["scale"]] = data
    lines = [
        "# Benchmark results",
        "",
        "Written by `scripts/bench <scale>` (benchmarks/run.py) from what it measured; ",
        "see benchmarks/README.md for what each figure is and docs/scaling.md for the targets.",
        "",
    ]
    for scale in ORDER:
        if scale in results:
            lines += section(results[scale])
    (HERE / "RESULTS.md").write_text("\n".join(lines))


if __name__ == "__main__":
    write_results()
