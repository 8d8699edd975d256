"""`kaoping backup` then `kaoping restore` into an empty database gives identical results,
ledger (chain included) and files."""

import json

from kaoping.bundles.tests.test_examples import EXAMPLES
from kaoping.testing.cli import kaoping

TEMPLATE = """
import hashlib
from kaoping.documents.default_templates import registration_form
from kaoping.documents.models import DocumentTemplate
from kaoping.orgs.models import Organization
content = registration_form()
DocumentTemplate.objects.create(
    kind="registration-form", year=2026, filename="t.docx", content=content,
    organization=Organization.objects.exclude(kind="branch").order_by("path").first(),
    sha256=hashlib.sha256(content).hexdigest())
"""
TEMPLATE_READ = """
import hashlib
from kaoping.documents.models import DocumentTemplate
for t in DocumentTemplate.objects.all():
    print(t.kind, t.year, t.sha256 == hashlib.sha256(bytes(t.content)).hexdigest())
"""


def test_backup_restore_round_trip(empty_database_url, tmp_path):
    first, second = empty_database_url(), empty_database_url()
    kaoping(first, "import-bundle", str(EXAMPLES / "rules-tour.bundle.json"))
    kaoping(first, "compute", "--year", "2026")
    kaoping(first, "shell", "-c", TEMPLATE)
    zip_path = tmp_path / "backup.zip"
    kaoping(first, "backup", str(zip_path))

    out = kaoping(second, "restore", str(zip_path))
    assert "restored" in out
    assert "intact" in kaoping(second, "verify-ledger")
    assert kaoping(second, "results", "--year", "2026", "--json") == kaoping(
        first, "results", "--year", "2026", "--json"
    )
    bundle_a = json.loads(kaoping(first, "export-bundle", "--year", "2026"))
    bundle_b = json.loads(kaoping(second, "export-bundle", "--year", "2026"))
    assert bundle_a == bundle_b
    # A committee's own document template comes back byte for byte.
    assert kaoping(second, "shell", "-c", TEMPLATE_READ) == kaoping(
        first, "shell", "-c", TEMPLATE_READ
    )
    assert "registration-form" in kaoping(second, "shell", "-c", TEMPLATE_READ)
    # New entries still append after a restore (sequences were reset).
    kaoping(second, "import-bundle", str(EXAMPLES / "small-district.bundle.json"))


def test_restore_refuses_a_database_with_data(empty_database_url, tmp_path):
    url = empty_database_url()
    kaoping(url, "import-bundle", str(EXAMPLES / "rules-tour.bundle.json"))
    zip_path = tmp_path / "backup.zip"
    kaoping(url, "backup", str(zip_path))
    proc = kaoping(url, "restore", str(zip_path), check=False)
    assert proc.returncode != 0 and "数据库不是空的" in proc.stderr
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    proc = kaoping(empty_database_url(), "restore", str(bad), check=False)
    assert proc.returncode != 0 and "不是考评系统的备份文件" in proc.stderr
