"""Issue 15 item 10: bundles keep the text limits of the forms and the API (one definition,
kaoping.kit.text), bundle.schema.json states them, and a bundle breaking one is refused whole,
naming the record and the field."""

import copy
import json
from pathlib import Path

import pytest

from kaoping.bundles.services import BundleError, bundle_import, bundle_schema
from kaoping.kit import text
from kaoping.ledger.models import ScoreEntry
from kaoping.orgs.models import Member, Organization

pytestmark = pytest.mark.django_db

GOOD = {
    "format": "kaoping.bundle/1",
    "year": 2026,
    "scheme": {
        "items": [
            {"code": "D07", "kind": "deduction", "name": "迟到", "points": 1},
            {"code": "B01", "kind": "bonus", "name": "先进", "points": 2},
        ]
    },
    "organizations": [
        {"code": "W", "name": "机关工委", "kind": "committee", "parent": None},
        {"code": "B1", "name": "第一党支部", "kind": "branch", "parent": "W"},
    ],
    "members": [
        {
            "id": "M1",
            "name": "张三",
            "branch": "B1",
            "exemptions": [{"item": "B01", "reason": "病假"}],
        },
        {"id": "M2", "name": "李四", "branch": "B1"},
    ],
    "entries": [{"id": "E1", "member": "M1", "item": "D07", "date": "2026-03-02", "note": "迟到"}],
    "decisions": [{"member": "M2", "kind": "quota_tie", "excellent": False, "note": "并列"}],
}


def _stored() -> tuple:
    return (Organization.objects.count(), Member.objects.count(), ScoreEntry.objects.count())


def test_the_minimal_bundle_imports():
    bundle_import(actor=None, data=copy.deepcopy(GOOD))
    assert _stored() == (2, 2, 1)


def _long_note(b):
    b["entries"][0]["note"] = "x" * (text.NOTE_MAX + 1)


def _path_code(b):
    b["members"][1]["id"] = "../../etc"


def _formula_name(b):
    b["members"][1]["name"] = "=cmd"


def _formula_org_name(b):
    b["organizations"][1]["name"] = "=cmd"


def _long_reason(b):
    b["members"][0]["exemptions"][0]["reason"] = "x" * (text.REASON_MAX + 1)


def _long_name(b):
    b["members"][1]["name"] = "张" * (text.NAME_MAX + 1)


def _control_in_decision_note(b):
    b["decisions"][0]["note"] = "a\x1bb"


@pytest.mark.parametrize(
    ("mutate", "where", "says"),
    [
        (_long_note, "entries[0].note (id E1)", f"最多 {text.NOTE_MAX} 个字符"),
        (_path_code, "members[1].id (id ../../etc)", "只能由字母、数字"),
        (_formula_name, "members[1].name (id M2)", "不能以 = + - @"),
        (_formula_org_name, "organizations[1].name (code B1)", "不能以 = + - @"),
        (_long_reason, "members[0].exemptions[0].reason", f"最多 {text.REASON_MAX} 个字符"),
        (_long_name, "members[1].name (id M2)", f"最多 {text.NAME_MAX} 个字符"),
        (_control_in_decision_note, "decisions[0].note (member M2)", "控制字符（U+001B）"),
    ],
)
def test_a_bundle_over_a_text_limit_is_refused_whole(mutate, where, says):
    bad = copy.deepcopy(GOOD)
    mutate(bad)
    with pytest.raises(BundleError) as refused:
        bundle_import(actor=None, data=json.loads(json.dumps(bad)))
    assert any(m.startswith(where) and says in m for m in refused.value.errors), (
        refused.value.errors
    )
    assert _stored() == (0, 0, 0)


def test_a_bundle_file_with_a_path_like_code_is_refused(tmp_path: Path):
    bad = copy.deepcopy(GOOD)
    _path_code(bad)
    path = tmp_path / "bad.bundle.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(BundleError) as refused:
        bundle_import(actor=None, path=path)
    assert any("members[1].id" in m for m in refused.value.errors), refused.value.errors
    assert _stored() == (0, 0, 0)


def test_the_schema_states_the_limits_of_kaoping_text():
    defs = bundle_schema()["$defs"]
    assert defs["code"]["maxLength"] == text.CODE_MAX
    assert defs["code"]["pattern"] == text.CODE_PATTERN
    assert defs["note"] == {
        "type": "string",
        "maxLength": text.NOTE_MAX,
        "pattern": text.NO_CONTROL_PATTERN,
    }
    assert defs["reason"]["maxLength"] == text.REASON_MAX
    assert defs["group"]["maxLength"] == text.GROUP_MAX
    assert defs["title"]["maxLength"] == text.TITLE_MAX
    assert defs["org_name"]["maxLength"] == text.TITLE_MAX
    assert defs["person_name"]["maxLength"] == text.NAME_MAX
    for name in ("reason", "group", "title"):
        assert defs[name]["pattern"] == text.NO_CONTROL_PATTERN
    for name in ("org_name", "person_name"):
        assert defs[name]["pattern"] == text.NAME_PATTERN
    # The models and the API use the same definitions.
    assert Member._meta.get_field("code").max_length == text.CODE_MAX
    assert Member._meta.get_field("name").max_length == text.NAME_MAX
    assert Organization._meta.get_field("name").max_length == text.TITLE_MAX


def test_the_api_and_the_models_refuse_the_same_note_length(client, district):
    client.force_login(district.sec1)
    too_long = "x" * (text.NOTE_MAX + 1)
    response = client.post(
        "/api/years/2026/entries",
        {"member": "M1", "item": "D01", "date": "2026-05-06", "note": too_long},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert "note" in response.json()["errors"]
    field = ScoreEntry._meta.get_field("note")
    with pytest.raises(Exception, match="20000"):
        field.run_validators(too_long)
    assert not ScoreEntry.objects.exists()
