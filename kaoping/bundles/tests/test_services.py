"""Bundle import is all-or-nothing, names the offending record, and is idempotent."""

import copy
import json

import pytest
from django.utils import translation

from kaoping.audit.models import AuditEvent
from kaoping.bundles.services import BundleError, bundle_import, bundle_validate
from kaoping.evaluation.models import QuotaDecision, VoteTally
from kaoping.ledger.models import ScoreEntry
from kaoping.orgs.models import Member, Organization
from kaoping.schemes.models import ItemExemption, Scheme, SchemeItem
from kaoping.scoring.models import GradeRecord
from kaoping.testing.cli import kaoping
from kaoping.testing.examples import EXAMPLES

MODELS = [
    Scheme,
    SchemeItem,
    Organization,
    Member,
    ItemExemption,
    ScoreEntry,
    VoteTally,
    GradeRecord,
    QuotaDecision,
    AuditEvent,
]


@pytest.fixture
def bundle() -> dict:
    return json.loads((EXAMPLES / "rules-tour.bundle.json").read_text(encoding="utf-8"))


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def entry(bundle, entry_id):
    return next(e for e in bundle["entries"] if e["id"] == entry_id)


def mutate_missing_field(b):
    del b["entries"][3]["member"]


def mutate_bad_decimal(b):
    b["scheme"]["items"][0]["points"] = "two"


def mutate_unknown_member(b):
    entry(b, "T0006")["member"] = "M9"


def mutate_unknown_item(b):
    entry(b, "T0006")["item"] = "X99"


def mutate_unknown_branch(b):
    b["members"][0]["branch"] = "NOPE"


def mutate_unknown_parent(b):
    b["organizations"][2]["parent"] = "NOPE"


def _reversal_of(b, reversed_id):
    """A new entry T0100 of GKK001 (D07, 2026-07-01) that reverses ``reversed_id``."""
    b["entries"].append(
        {
            "id": "T0100",
            "member": "GKK001",
            "item": "D07",
            "date": "2026-07-01",
            "reverses": reversed_id,
        }
    )


def mutate_unknown_reversed_entry(b):
    _reversal_of(b, "T9999")


def mutate_reverse_twice(b):
    _reversal_of(b, "T0004")


def mutate_reverse_a_reversal(b):
    _reversal_of(b, "T0005")


def mutate_duplicate_entry_id(b):
    b["entries"].append(dict(entry(b, "T0001")))


def mutate_date_outside_year(b):
    entry(b, "T0001")["date"] = "2025-12-31"


def mutate_member_in_non_branch(b):
    b["members"][0]["branch"] = "CZJ"


def mutate_vote_unknown_member(b):
    b["votes"][0]["member"] = "GHOST"


def mutate_bad_format(b):
    b["format"] = "kaoping.bundle/2"


# Each refusal names the record and the field, in Chinese; the same under English.
CASES = [
    (
        mutate_missing_field,
        "entries[3] (id T0004)：缺少必填字段“member”。",
        'entries[3] (id T0004): the required field "member" is missing.',
    ),
    (
        mutate_bad_decimal,
        'scheme.items[0].points (code D01)："two" 不是十进制数',
        'scheme.items[0].points (code D01): "two" is not a decimal number',
    ),
    (
        mutate_unknown_member,
        "(id T0006)：党员 M9 不存在。",
        "(id T0006): unknown member M9.",
    ),
    (mutate_unknown_item, "(id T0006)：指标 X99 不存在。", "(id T0006): unknown item X99."),
    (
        mutate_unknown_branch,
        "members[0] (id BGS001)：党支部 NOPE 不存在。",
        "members[0] (id BGS001): unknown branch NOPE.",
    ),
    (
        mutate_unknown_parent,
        "organizations[2] (code BGS)：上级组织 NOPE 不存在。",
        "organizations[2] (code BGS): unknown parent organization NOPE.",
    ),
    (
        mutate_unknown_reversed_entry,
        "(id T0100)：要冲销的记录 T9999 不存在。",
        "(id T0100): reverses unknown entry T9999.",
    ),
    (
        mutate_reverse_twice,
        "(id T0100)：要冲销的 T0004 已被 T0005 冲销。",
        "(id T0100): reverses T0004, which is already reversed by T0005.",
    ),
    (
        mutate_reverse_a_reversal,
        "(id T0100)：要冲销的 T0005 本身就是一条冲销记录。",
        "(id T0100): reverses T0005, which is itself a reversal.",
    ),
    (
        mutate_duplicate_entry_id,
        "entries (id T0001)：编号 T0001 出现了 2 次。",
        "entries (id T0001): T0001 appears 2 times.",
    ),
    (
        mutate_date_outside_year,
        "(id T0001)：日期 2025-12-31 不在 2026 年度内。",
        "(id T0001): date 2025-12-31 is outside the year 2026.",
    ),
    (
        mutate_member_in_non_branch,
        "members[0] (id BGS001)：CZJ 不是党支部",
        "members[0] (id BGS001): CZJ is not a branch",
    ),
    (
        mutate_vote_unknown_member,
        "votes[0] (member GHOST)：党员 GHOST 不存在。",
        "votes[0] (member GHOST): unknown member GHOST.",
    ),
    (
        mutate_bad_format,
        'format：应为 "kaoping.bundle/1"，实为 "kaoping.bundle/2"。',
        'format: must be "kaoping.bundle/1", not "kaoping.bundle/2".',
    ),
]


@pytest.mark.parametrize(
    ("mutate", "message", "english"), CASES, ids=[c[0].__name__[7:] for c in CASES]
)
def test_bad_bundle_is_refused_whole_and_changes_nothing(db, bundle, mutate, message, english):
    bundle_import(actor=None, data=copy.deepcopy(bundle))  # a database that already has data
    before = counts()
    bad = copy.deepcopy(bundle)
    mutate(bad)
    # New records too, so that a partial write would show in the counts.
    bad["members"].append({"id": "NEW1", "name": "新党员", "branch": "BGS"})
    bad["entries"].append({"id": "NEW-E", "member": "NEW1", "item": "D01", "date": "2026-05-01"})
    with pytest.raises(BundleError) as excinfo:
        bundle_import(actor=None, data=bad)
    assert message in str(excinfo.value)
    assert counts() == before
    with translation.override("en"):
        assert any(english in m for m in bundle_validate(bad)), bundle_validate(bad)


def test_reversing_an_entry_already_reversed_in_the_database(db, bundle):
    bundle_import(actor=None, data=bundle)
    later = {
        **copy.deepcopy(bundle),
        "entries": [
            {
                "id": "T0200",
                "member": "GKK001",
                "item": "D07",
                "date": "2026-08-01",
                "reverses": "T0004",
            }
        ],
    }
    with pytest.raises(BundleError, match="要冲销的 T0004 已被 T0005 冲销"):
        bundle_import(actor=None, data=later)


def test_importing_twice_changes_nothing(db, bundle):
    bundle_import(actor=None, data=bundle)
    first = counts()
    summary = bundle_import(actor=None, data=bundle)
    assert summary.entries_added == 0
    assert summary.entries_skipped == len(bundle["entries"])
    assert counts() == first


def test_reimport_updates_members_and_organizations(db, bundle):
    bundle_import(actor=None, data=bundle)
    changed = copy.deepcopy(bundle)
    changed["members"][0]["name"] = "改名了"
    changed["members"][0]["branch"] = "YSK"  # a transfer
    changed["organizations"][2]["name"] = "综合办公室党支部"
    bundle_import(actor=None, data=changed)
    member = Member.objects.select_related("branch").get(code="BGS001")
    assert (member.name, member.branch.code) == ("改名了", "YSK")
    assert Organization.objects.get(code="BGS").name == "综合办公室党支部"


def test_cli_refuses_bad_bundle_with_nonzero_exit(empty_database_url, tmp_path, bundle):
    bad = copy.deepcopy(bundle)
    entry(bad, "T0006")["member"] = "M9"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    url = empty_database_url()
    proc = kaoping(url, "import-bundle", str(path), check=False)
    assert proc.returncode != 0
    assert "entries[5] (id T0006)：党员 M9 不存在。" in proc.stderr
    assert "未导入任何数据" in proc.stderr
    out = kaoping(url, "results", "--year", "2026", "--json", check=False)
    assert out.returncode != 0 and "2026 年度还没有考评方案" in out.stderr


def test_cli_reports_unreadable_json(empty_database_url, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    proc = kaoping(empty_database_url(), "import-bundle", str(path), check=False)
    assert proc.returncode != 0 and "不是有效的 JSON 文件" in proc.stderr
