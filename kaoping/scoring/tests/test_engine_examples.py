"""The engine against the shared example bundles and their expected results documents."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from kaoping.scoring.engine import (
    EntryInput,
    ItemRule,
    MemberInput,
    SchemeRules,
    YearInput,
    compute_year,
)
from kaoping.testing.examples import EXAMPLES

EXAMPLE_NAMES = ["rules-tour", "small-district"]
DECIMAL_FIELDS = ("deductions", "bonus", "daily", "democratic_pct", "democratic", "composite")


def _dec(value: Any) -> Decimal:
    # Bundle numbers are exact-decimal strings or integers, never floats.
    assert not isinstance(value, float), value
    return Decimal(str(value)) if isinstance(value, int) else Decimal(value)


def _year_input(bundle: dict[str, Any]) -> YearInput:
    """A minimal bundle -> engine conversion, just enough for these tests."""
    scheme = bundle["scheme"]
    rules = SchemeRules(
        base_points=_dec(scheme["base_points"]),
        bonus_cap=_dec(scheme["bonus_cap"]),
        democratic_share=_dec(scheme["democratic_share"]),
        excellent_threshold=_dec(scheme["excellent_threshold"]),
        qualified_threshold=_dec(scheme["qualified_threshold"]),
        basic_threshold=_dec(scheme["basic_threshold"]),
        excellent_quota=_dec(scheme["excellent_quota"]),
        quota_rounding=scheme["quota_rounding"],
        ballot_options={k: _dec(v) for k, v in scheme["ballot_options"].items()},
    )
    item_points = {i["code"]: _dec(i["points"]) for i in scheme["items"]}
    items = {
        i["code"]: ItemRule(
            code=i["code"],
            kind=i["kind"],
            disqualifies=bool(i.get("disqualifies", False)),
            categories=frozenset(i["categories"]) if "categories" in i else None,
        )
        for i in scheme["items"]
    }
    categories = {
        o["code"]: o.get("category", "in_service")
        for o in bundle["organizations"]
        if o["kind"] == "branch"
    }
    members = [
        MemberInput(
            id=m["id"],
            branch=m["branch"],
            status=m.get("status", "active"),
            category=categories[m["branch"]],
            exemptions=frozenset(x["item"] for x in m.get("exemptions", [])),
        )
        for m in bundle["members"]
    ]
    entries = [
        EntryInput(
            id=e["id"],
            member=e["member"],
            item=e["item"],
            points=(
                Decimal(0)
                if e.get("reverses")
                else item_points[e["item"]] * int(e.get("occurrences", 1))
            ),
            reverses=e.get("reverses"),
        )
        for e in bundle["entries"]
    ]
    year = bundle["year"]
    return YearInput(
        rules=rules,
        items=items,
        members=members,
        entries=entries,
        tallies={v["member"]: v["tally"] for v in bundle.get("votes", [])},
        decisions={
            d["member"]: bool(d["excellent"])
            for d in bundle.get("decisions", [])
            if d.get("kind", "quota_tie") == "quota_tie"
        },
        previous_grades={
            h["member"]: h["grade"] for h in bundle.get("history", []) if h["year"] == year - 1
        },
    )


def _load(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    bundle = json.loads((EXAMPLES / f"{name}.bundle.json").read_text(encoding="utf-8"))
    expected = json.loads((EXAMPLES / f"{name}.results.json").read_text(encoding="utf-8"))
    return bundle, expected


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_example_bundle_matches_results_document(name: str) -> None:
    bundle, expected = _load(name)
    got = [r.as_dict() for r in compute_year(_year_input(bundle))]

    assert [g["member"] for g in got] == [e["member"] for e in expected["members"]]
    for g, e in zip(got, expected["members"], strict=True):
        where = f"{name}: {e['member']}"
        assert g["branch"] == e["branch"], where
        assert g["rank"] == e["rank"], where
        assert g["grade"] == e["grade"], where
        assert set(g["flags"]) == set(e["flags"]), where
        for key in DECIMAL_FIELDS:
            if e[key] is None:
                assert g[key] is None, f"{where} {key}"
            else:
                assert g[key] is not None, f"{where} {key}"
                assert Decimal(g[key]) == Decimal(e[key]), f"{where} {key}"


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_example_results_keep_democratic_pct_at_two_places(name: str) -> None:
    bundle, _ = _load(name)
    for r in compute_year(_year_input(bundle)):
        if r.democratic_pct is not None:
            assert r.democratic_pct.as_tuple().exponent == -2, r.member
