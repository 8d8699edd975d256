"""The streaming import: a file is read record by record, in any key order, with the same
checks and the same result as the parsed bundle, and a bad file changes nothing."""

import copy
import json

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping.audit.models import AuditEvent
from kaoping.bundles.reading import FIRST_PASS_LISTS, RECORD_LISTS, BundleNotJSON, FileSource
from kaoping.bundles.services import BundleError, bundle_import
from kaoping.bundles.shape import is_valid, validator
from kaoping.ledger.models import LedgerChain, ScoreEntry
from kaoping.ledger.selectors import ledger_verify
from kaoping.orgs.models import Member, Organization
from kaoping.schemes.models import BranchYearClosing, Scheme
from kaoping.scoring.selectors import results_document
from kaoping.scoring.services import results_compute

from .test_examples import _normalised
from .test_services import EXAMPLES, counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundle() -> dict:
    return json.loads((EXAMPLES / "rules-tour.bundle.json").read_text(encoding="utf-8"))


def write(tmp_path, data, name="bundle.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return str(path)


def state() -> dict:
    """What an import leaves in the database, by codes (ids differ between databases)."""
    return {
        "orgs": sorted(Organization.objects.values_list("code", "name", "kind", "path")),
        "members": sorted(
            Member.objects.values_list("code", "name", "branch__code", "status", "membership")
        ),
        "entries": sorted(
            ScoreEntry.objects.values_list(
                "code", "member__code", "item__code", "points", "reverses__code", "chain_hash"
            )
        ),
        "chains": sorted(LedgerChain.objects.values_list("key", "length", "head_hash")),
    }


def test_file_in_any_key_order_imports_like_the_parsed_bundle(tmp_path, bundle):
    bundle_import(actor=None, data=copy.deepcopy(bundle))
    from_dict = state()
    # The same data again, written with the record lists first and the scheme last:
    # nothing changes (the ledger is append-only, so the comparison is an idempotent
    # re-import; the empty-database case is the next test).
    reordered = {k: bundle[k] for k in reversed(list(bundle))}
    summary = bundle_import(actor=None, path=write(tmp_path, reordered))
    assert summary.entries_added == 0
    assert summary.entries_skipped == len(bundle["entries"])
    assert state() == from_dict


def test_file_import_into_an_empty_database_gives_the_published_results(tmp_path, bundle):
    reordered = {k: bundle[k] for k in reversed(list(bundle))}
    summary = bundle_import(actor=None, path=write(tmp_path, reordered))
    assert summary.members == len(bundle["members"])
    assert summary.entries_added == len(bundle["entries"])
    assert summary.votes == len(bundle["votes"])
    assert ledger_verify() == []
    results_compute(actor=None, year=2026)
    expected = json.loads((EXAMPLES / "rules-tour.results.json").read_text(encoding="utf-8"))
    assert _normalised(results_document(year=2026)) == _normalised(expected)


def test_the_chain_of_a_file_import_equals_the_one_of_the_parsed_bundle(tmp_path, bundle):
    bundle_import(actor=None, path=write(tmp_path, bundle))
    chained = state()["chains"]
    assert ledger_verify() == []
    assert sum(length for _, length, _ in chained) == len(bundle["entries"])


def test_bad_file_is_refused_with_record_messages_and_changes_nothing(tmp_path, bundle):
    bundle_import(actor=None, data=copy.deepcopy(bundle))
    before = counts()
    bad = copy.deepcopy(bundle)
    bad["members"].append({"id": "NEW1", "name": "新党员", "branch": "BGS"})
    bad["entries"].append({"id": "NEW-E", "member": "NEW1", "item": "D01", "date": "2026-05-01"})
    bad["entries"].append({"id": "NEW-F", "member": "NOBODY", "item": "D01", "date": "2026-05-01"})
    bad["entries"][0]["date"] = "2026-02-30"
    with pytest.raises(BundleError) as excinfo:
        bundle_import(actor=None, path=write(tmp_path, bad))
    # A shape error is reported alone (the other checks need a well-formed bundle).
    assert excinfo.value.errors == [
        f"entries[0].date (id {bad['entries'][0]['id']})："
        '"2026-02-30" 不是有效的日期（应为 YYYY-MM-DD）。'
    ]
    assert counts() == before
    bad["entries"][0]["date"] = "2026-02-28"
    with pytest.raises(BundleError) as excinfo:
        bundle_import(actor=None, path=write(tmp_path, bad))
    n = len(bad["entries"]) - 1
    assert excinfo.value.errors == [f"entries[{n}] (id NEW-F)：党员 NOBODY 不存在。"]
    assert counts() == before


def test_messages_are_capped_with_the_count_of_the_rest(tmp_path, bundle):
    bad = copy.deepcopy(bundle)
    bad["entries"] += [
        {"id": f"X{i:04d}", "member": f"GHOST{i}", "item": "D01", "date": "2026-05-01"}
        for i in range(120)
    ]
    with pytest.raises(BundleError) as excinfo:
        bundle_import(actor=None, path=write(tmp_path, bad))
    assert len(excinfo.value.errors) == 50
    assert excinfo.value.total == 120
    assert str(excinfo.value).endswith("……另有 70 条问题。")
    first = len(bundle["entries"])
    assert excinfo.value.errors[0] == f"entries[{first}] (id X0000)：党员 GHOST0 不存在。"


def test_a_reversal_of_another_members_entry_in_the_ledger_is_refused(bundle):
    bundle_import(actor=None, data=bundle)
    target = next(e for e in bundle["entries"] if "reverses" not in e)
    other = next(m["id"] for m in bundle["members"] if m["id"] != target["member"])
    later = copy.deepcopy(bundle)
    later["entries"] = [
        {
            "id": "R-OTHER",
            "member": other,
            "item": target["item"],
            "date": "2026-09-01",
            "reverses": target["id"],
        }
    ]
    with pytest.raises(BundleError, match=f"要冲销的 {target['id']} 是其他党员的记录"):
        bundle_import(actor=None, data=later)


def test_new_entries_of_a_closed_branch_are_refused(bundle):
    bundle_import(actor=None, data=bundle)
    member = Member.objects.select_related("branch").get(code=bundle["entries"][0]["member"])
    BranchYearClosing.objects.create(
        scheme=Scheme.objects.get(year=2026), branch=member.branch, finalised_at=timezone.now()
    )
    later = copy.deepcopy(bundle)
    later["votes"] = []
    later["decisions"] = []
    later["entries"].append(
        {"id": "LATE-1", "member": member.code, "item": "D01", "date": "2026-12-01"}
    )
    before = counts()
    with pytest.raises(BundleError) as excinfo:
        bundle_import(actor=None, data=later)
    assert f"(id LATE-1)：党支部 {member.branch.code} 的 2026 年度结果已定格" in str(excinfo.value)
    assert counts() == before
    # The entries already in the ledger are skipped, not refused: re-importing is safe.
    later["entries"].pop()
    assert bundle_import(actor=None, data=later).entries_added == 0


def test_an_entry_whose_points_do_not_fit_is_refused(bundle):
    bad = copy.deepcopy(bundle)
    bad["entries"][0]["points"] = "0.00001"
    bad["entries"][1]["occurrences"] = 10**12
    with pytest.raises(BundleError) as excinfo:
        bundle_import(actor=None, data=bad)
    text = str(excinfo.value)
    assert f'entries[0] (id {bad["entries"][0]["id"]})：分值 "0.00001" 须小于 10^8' in text
    assert f"entries[1] (id {bad['entries'][1]['id']})：次数 {10**12} 过多" in text


def test_a_file_that_is_not_json_is_reported(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "kaoping.bundle/1", "members": [', encoding="utf-8")
    with pytest.raises(BundleNotJSON):
        bundle_import(actor=None, path=str(path))
    assert not AuditEvent.objects.exists()


def test_reading_a_file_streams_records_and_returns_the_top_without_them(tmp_path, bundle):
    seen: list[tuple[str, int]] = []
    tops = []
    FileSource(write(tmp_path, bundle)).read(tops.append, lambda s, i, r: seen.append((s, i)))
    (top,) = tops
    assert top["entries"] == [] and top["members"] == []
    assert top["scheme"] == bundle["scheme"]
    expected = [(s, i) for s in FIRST_PASS_LISTS for i in range(len(bundle.get(s, [])))]
    expected += [("entries", i) for i in range(len(bundle["entries"]))]
    assert seen == expected


def _example_records(bundle: dict) -> dict[str, list[dict]]:
    return {section: bundle.get(section) or [] for section in RECORD_LISTS}


VALUES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-3, max_value=2**40)
    | st.sampled_from(
        ["", "M1", "D01", "2026-02-30", "2026-5-01", "2026-05-01", "x" * 65, "active", "quota_tie"]
    )
    | st.lists(st.sampled_from([{}, {"item": "D01"}, {"item": 1}, "x"]), max_size=2)
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_compiled_schema_agrees_with_the_schema(data):
    """A record the compiled validator passes satisfies the schema as jsonschema reads it
    (jsonschema is skipped for it); the example's own records pass it (not vacuous)."""
    bundle = json.loads((EXAMPLES / "rules-tour.bundle.json").read_text(encoding="utf-8"))
    section = data.draw(st.sampled_from([s for s, r in _example_records(bundle).items() if r]))
    record = copy.deepcopy(data.draw(st.sampled_from(_example_records(bundle)[section])))
    assert is_valid(section, record)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        key = data.draw(st.sampled_from([*record, "tally", "occurrences", "note", "status"]))
        if data.draw(st.booleans()):
            record.pop(key, None)
        else:
            record[key] = data.draw(VALUES)
    if is_valid(section, record):
        assert list(validator(section).iter_errors(record)) == []


def test_the_command_reads_a_bundle_from_standard_input(bundle):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command(
        "import_bundle", "-", stdin=io.StringIO(json.dumps(bundle, ensure_ascii=False)), stdout=out
    )
    assert f"{len(bundle['entries'])} entries added" in out.getvalue()
    assert ScoreEntry.objects.count() == len(bundle["entries"])
