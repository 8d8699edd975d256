"""A bundle nested deeper than its schema allows is refused before it costs memory
(issue 15, item 8: 200,000 nested ``[`` in a 400 KB file drove import-bundle to 23 GB)."""

import pytest

from kaoping.bundles.reading import BundleTooDeep, FileSource, max_depth
from kaoping.testing.cli import kaoping, kaoping_measured

pytestmark = pytest.mark.django_db

NESTING = 200_000


def deep_bundle(tmp_path, nesting: int = NESTING):
    path = tmp_path / "deep.json"
    path.write_text(
        '{"format": "kaoping.bundle/1", "year": 2026, "scheme": '
        + "[" * nesting
        + "]" * nesting
        + "}",
        encoding="utf-8",
    )
    return path


def test_schema_depth_is_that_of_its_deepest_value():
    # bundle → scheme → items → item → categories; bundle → members → member → exemptions → one
    assert max_depth() == 5


def test_reader_refuses_depth_beyond_the_schema_naming_it(tmp_path):
    # In this process, so a modest depth (the memory is measured in the subprocess below).
    with pytest.raises(BundleTooDeep, match="超过 5 层"):
        FileSource(deep_bundle(tmp_path, 1000)).read(lambda top: None, lambda *record: None)


def test_cli_refuses_deep_bundle_in_bounded_memory_and_writes_nothing(empty_database_url, tmp_path):
    url = empty_database_url()
    path = deep_bundle(tmp_path)
    assert path.stat().st_size < 500_000
    proc, peak = kaoping_measured(url, "import-bundle", str(path))
    assert proc.returncode != 0
    assert "超过 5 层" in proc.stderr and "未导入任何数据" in proc.stderr
    assert peak < 300 * 1024**2, f"peak resident memory {peak / 1024**2:.0f} MB"
    out = kaoping(url, "results", "--year", "2026", "--json", check=False)
    assert out.returncode != 0 and "2026 年度还没有考评方案" in out.stderr
