"""A deterministic, realistic demo district (演示数据) as a year bundle (bundle.md).

``demo_bundle(year=...)`` builds a 区直机关工委 with four party committees / general
branches of district government bodies, twelve branches (one of retired cadres) and
about 300 members, with a year of ledger entries, paper-ballot tallies and last year's
grades. The same ``year`` and ``seed`` always give the same bundle, so importing it twice
changes nothing.

The data is shaped so that every grade and flag of the rules shows up: excellent places
filled by quota, basically qualified and warning members, two members graded warning
last year and again this year (``candidate:8``), members under investigation
(``deferred``), a serious violation (``disqualified``) and two branches where members
tie on the last excellent place (``pending``) for the branch to decide.

The district's shape is in ``district``, the people and what their profiles make of the
year in ``builder``, the logins in ``logins``; this module puts the bundle together.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from kaoping.scoring.engine import (
    EntryInput,
    ItemRule,
    MemberInput,
    SchemeRules,
    YearInput,
    compute_year,
)

from .builder import REVERSAL_NOTES, SERIOUS_NOTE, DemoMember, YearBuilder, members_of
from .district import TIE_BRANCHES, organizations, scheme_settings
from .logins import DemoLogin, demo_logins

__all__ = ["DEFAULT_PASSWORD", "FORMAT", "DemoLogin", "demo_bundle", "demo_logins"]

FORMAT = "kaoping.bundle/1"
DEFAULT_PASSWORD = "kaoping-demo"  # noqa: S105 - the documented demo password


def _ledger(b: YearBuilder, members: list[DemoMember]) -> None:
    for m in members:
        if m.profile == "serious":
            m.profile = "normal"
            b.ledger(m)
            b.add(m, "D10", SERIOUS_NOTE, datetime.date(b.year, 6, 17))
        else:
            b.ledger(m)
    profiles = {m.id: m.profile for m in members}
    # A handful of mistakes corrected by reversal (冲销), with the reason.
    candidates = [
        e
        for e in b.entries
        if e["item"] in REVERSAL_NOTES and profiles[e["member"]] in ("normal", "slack")
    ]
    for entry in b.rng.sample(candidates, min(9, len(candidates))):
        date = datetime.date.fromisoformat(entry["date"]) + datetime.timedelta(
            days=b.rng.randint(2, 9)
        )
        b.entries.append(
            {
                "id": f"DEMO{b.year}-{len(b.entries) + 1:05d}",
                "member": entry["member"],
                "item": entry["item"],
                "date": min(date, datetime.date(b.year, 12, 31)).isoformat(),
                "reverses": entry["id"],
                "note": b.rng.choice(REVERSAL_NOTES[entry["item"]]),
            }
        )


def _votes(b: YearBuilder, members: list[DemoMember]) -> dict[str, dict[str, int]]:
    by_branch: dict[str, list[DemoMember]] = defaultdict(list)
    for m in members:
        by_branch[m.branch].append(m)
    tallies: dict[str, dict[str, int]] = {}
    for roster in by_branch.values():
        present = [m for m in roster if m.status == "active"]
        # Everyone at the meeting but one or two (on leave) casts a ballot.
        voters = len(present) - b.rng.choice((1, 1, 2))
        for m in present:
            tallies[m.id] = b.tally(m, voters)
    return tallies


def _history(b: YearBuilder, members: list[DemoMember]) -> list[dict]:
    rng = b.rng
    rows = []
    for m in members:
        if m.profile == "warning":
            grade = "warning"
        elif m.membership == "probationary" or rng.random() < 0.12:
            continue  # joined or transferred in this year
        else:
            grade = rng.choices(
                ("excellent", "qualified", "basic"),
                {
                    "star": (60, 40, 0),
                    "poor": (0, 55, 45),
                    "slack": (0, 85, 15),
                }.get(m.profile, (10, 88, 2)),
            )[0]
        rows.append({"member": m.id, "year": b.year - 1, "grade": grade})
    return rows


def _engine_input(bundle: dict) -> YearInput:
    scheme = bundle["scheme"]
    categories = {o["code"]: o.get("category", "in_service") for o in bundle["organizations"]}
    points = {i["code"]: i["points"] for i in scheme["items"]}
    return YearInput(
        rules=SchemeRules(
            ballot_options={k: Decimal(v) for k, v in scheme["ballot_options"].items()}
        ),
        items={
            i["code"]: ItemRule(
                code=i["code"],
                kind=i["kind"],
                disqualifies=i.get("disqualifies", False),
                categories=frozenset(i["categories"]) if i.get("categories") else None,
            )
            for i in scheme["items"]
        },
        members=[
            MemberInput(
                id=m["id"],
                branch=m["branch"],
                status=m["status"],
                category=categories[m["branch"]],
                exemptions=frozenset(e["item"] for e in m.get("exemptions", ())),
            )
            for m in bundle["members"]
        ],
        entries=[
            EntryInput(
                id=e["id"],
                member=e["member"],
                item=e["item"],
                points=Decimal(points[e["item"]]) * e.get("occurrences", 1),
                reverses=e.get("reverses"),
            )
            for e in bundle["entries"]
        ],
        tallies={v["member"]: v["tally"] for v in bundle["votes"]},
        previous_grades={h["member"]: h["grade"] for h in bundle["history"]},
    )


def _settle_accidental_ties(bundle: dict) -> None:
    """Outside the designed tie branches, move one vote of a member tied on the last
    excellent place so that only the designed ties are left for the branch to decide."""
    tallies = {v["member"]: v["tally"] for v in bundle["votes"]}
    for _ in range(50):
        results = compute_year(_engine_input(bundle))
        accidental = [
            r
            for r in results
            if "quota_tie" in r.flags and r.branch not in TIE_BRANCHES and r.member in tallies
        ]
        if not accidental:
            return
        tally = tallies[accidental[-1].member]
        if tally["excellent"] > 0:
            tally["excellent"] -= 1
            tally["qualified"] += 1
        else:
            tally["qualified"] -= 1
            tally["basic"] += 1
    raise RuntimeError("demo data: could not settle accidental quota ties")


def demo_bundle(*, year: int, seed: int = 2026) -> dict:
    """The demo district's year bundle (bundle.md), the same for the same arguments."""
    b = YearBuilder(year, seed)
    orgs, branches = organizations()
    members = members_of(b, branches)
    _ledger(b, members)
    tallies = _votes(b, members)
    bundle = {
        "format": FORMAT,
        "year": year,
        "scheme": scheme_settings(),
        "organizations": orgs,
        "members": [
            {
                "id": m.id,
                "name": m.name,
                "branch": m.branch,
                "status": m.status,
                "membership": m.membership,
                **({"exemptions": m.exemptions} if m.exemptions else {}),
            }
            for m in members
        ],
        "entries": b.entries,
        "votes": [{"member": code, "tally": tally} for code, tally in tallies.items()],
        "history": _history(b, members),
        "decisions": [],
    }
    _settle_accidental_ties(bundle)
    return bundle
