"""The shared example bundles import, compute and print exactly their published results."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from kaoping.testing.cli import kaoping

EXAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "examples"
NAMES = ["small-district", "rules-tour"]


def _normalised(doc: dict) -> list[dict]:
    def norm(m: dict) -> dict:
        return {
            k: sorted(v)
            if k == "flags"
            else Decimal(v)
            if isinstance(v, str) and k not in ("member", "branch", "grade")
            else v
            for k, v in m.items()
        }

    return [norm(m) for m in doc["members"]]


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("name", NAMES)
def test_example_computes_to_published_results(db, name):
    bundle = EXAMPLES / f"{name}.bundle.json"
    expected = json.loads((EXAMPLES / f"{name}.results.json").read_text(encoding="utf-8"))
    _run("import_bundle", str(bundle))
    _run("compute", "--year", str(expected["year"]))
    got = json.loads(_run("results", "--year", str(expected["year"]), "--json"))
    assert got["format"] == "kaoping.results/1"
    assert _normalised(got) == _normalised(expected)


@pytest.mark.parametrize("name", NAMES)
def test_cli_on_new_empty_database_and_export_round_trip(empty_database_url, tmp_path, name):
    """The four bundle.md commands, as a user runs them, on a database that does not exist
    yet; then export-bundle's output imports into another empty database to the same results."""
    bundle = EXAMPLES / f"{name}.bundle.json"
    expected = json.loads((EXAMPLES / f"{name}.results.json").read_text(encoding="utf-8"))
    year = str(expected["year"])
    first, second = empty_database_url(), empty_database_url()

    kaoping(first, "import-bundle", str(bundle))
    kaoping(first, "compute", "--year", year)
    results = json.loads(kaoping(first, "results", "--year", year, "--json"))
    assert _normalised(results) == _normalised(expected)

    exported = tmp_path / "export.json"
    exported.write_text(kaoping(first, "export-bundle", "--year", year), encoding="utf-8")
    kaoping(second, "import-bundle", str(exported))
    kaoping(second, "compute", "--year", year)
    assert json.loads(kaoping(second, "results", "--year", year, "--json")) == results
