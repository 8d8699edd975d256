"""Every vendored asset is the file its upstream release ships (decision on the design
system): the digests in static/vendor/README.md are checked, and no asset reaches out
to a network address (intranets are offline)."""

import hashlib
import re
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[1] / "static" / "vendor"
ROW = re.compile(
    r"^\| `(?P<file>[^`]+)` \| (?P<package>[^|]+) \| [^|]+ \| [^|]+ \| `(?P<sha>[0-9a-f]{64})` \|$"
)


def _rows():
    lines = (VENDOR / "README.md").read_text().splitlines()
    return [m.groupdict() for m in map(ROW.match, lines) if m]


def test_every_vendored_file_matches_its_recorded_digest():
    rows = _rows()
    assert {r["file"] for r in rows} >= {
        "tabler/tabler.min.css",
        "echarts/echarts.kaoping.min.js",
        "tom-select/tom-select.complete.min.js",
        "htmx.min.js",
    }
    for r in rows:
        digest = hashlib.sha256((VENDOR / r["file"]).read_bytes()).hexdigest()
        assert digest == r["sha"], r["file"]


def test_every_vendored_file_is_listed_with_its_licence():
    listed = {r["file"] for r in _rows()}
    for path in VENDOR.rglob("*"):
        if path.suffix in {".js", ".css"}:
            assert str(path.relative_to(VENDOR)) in listed, path
            assert any((path.parent / n).exists() for n in ("LICENSE", "LICENSE.txt")) or (
                path.parent == VENDOR
            ), path


def test_stylesheets_load_nothing_from_a_network():
    for path in VENDOR.rglob("*.css"):
        text = path.read_text()
        assert "@import" not in text, path
        for url in re.findall(r"url\(([^)]*)\)", text):
            assert url.strip("\"'").startswith("data:"), (path, url)
