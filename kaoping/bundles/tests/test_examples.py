"""The example bundles import, compute and print exactly their published results.

The bundles and their results documents are the project's own copies (``data/examples``,
from ``../shared/examples``), so a plain clone tests on its own;
``test_the_examples_are_copies_of_the_shared_ones`` checks the copies when the shared
folder is beside the repository."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from kaoping.testing.cli import kaoping
from kaoping.testing.examples import EXAMPLES, SHARED_EXAMPLES

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


@pytest.mark.skipif(not SHARED_EXAMPLES.is_dir(), reason="no ../shared/examples beside the repo")
def test_the_examples_are_copies_of_the_shared_ones():
    shared = sorted(p.name for p in SHARED_EXAMPLES.iterdir() if p.is_file())
    ours = sorted(p.name for p in EXAMPLES.iterdir() if p.is_file())
    assert ours == shared
    for name in shared:
        assert (EXAMPLES / name).read_bytes() == (SHARED_EXAMPLES / name).read_bytes(), name
