"""Issue 15 item 20: a refused bundle answers in Chinese (English under ``en``), each message
naming the record (its JSON path and id/code/member) and the field; every kind of schema
error has its own message, an unknown kind a generic one with the path."""

import copy
import re

import jsonschema
import pytest
from django.utils import translation

from kaoping.bundles.schema_messages import _schema_message
from kaoping.bundles.services import bundle_validate

from .test_text_limits import GOOD

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff]")


def _misshapen() -> dict:
    b = copy.deepcopy(GOOD)
    b["format"] = "kaoping.bundle/2"
    b["year"] = 1800
    b["scheme"]["items"][0]["kind"] = "penalty"
    b["scheme"]["items"][1]["points"] = "two"
    b["scheme"]["ballot_options"] = {"foo": 1}
    b["organizations"][1]["parent"] = "../W"
    b["members"][0]["name"] = ""
    del b["members"][1]["branch"]
    b["entries"][0]["date"] = "2026-02-30"
    b["entries"][0]["occurrences"] = "3"
    b["decisions"][0]["note"] = "a\x1bb"
    return b


def _inconsistent() -> dict:
    b = copy.deepcopy(GOOD)
    b["entries"][0]["member"] = "GHOST"
    b["members"][1]["branch"] = "W"
    b["members"][0]["exemptions"][0]["item"] = "X9"
    b["organizations"].append(dict(b["organizations"][1]))
    return b


SHAPE = [
    (
        'format：应为 "kaoping.bundle/1"，实为 "kaoping.bundle/2"。',
        'format: must be "kaoping.bundle/1", not "kaoping.bundle/2".',
    ),
    ("year：不能小于 1921（实为 1800）。", "year: must not be less than 1921 (it is 1800)."),
    (
        'scheme.items[0].kind (code D07)："penalty" 不是允许的值，可用的值："deduction", "bonus"。',
        'scheme.items[0].kind (code D07): "penalty" is not an allowed value; allowed values: '
        '"deduction", "bonus".',
    ),
    (
        'scheme.items[1].points (code B01)："two" 不是十进制数（小数请写成字符串，如 "0.5"）。',
        'scheme.items[1].points (code B01): "two" is not a decimal number (write it as a '
        'string such as "0.5").',
    ),
    (
        'scheme.ballot_options：不允许的键 "foo"，可用的键："excellent", "qualified", "basic", '
        '"unqualified"。',
        'scheme.ballot_options: the key "foo" is not allowed; allowed keys: "excellent", '
        '"qualified", "basic", "unqualified".',
    ),
    (
        "organizations[1].parent (code B1)：编号“../W”只能由字母、数字和 . _ - 组成，"
        "并以字母或数字开头。",
        'organizations[1].parent (code B1): the code "../W" may hold only letters, digits and '
        ". _ - and must start with a letter or digit.",
    ),
    ("members[0].name (id M1)：不能为空。", "members[0].name (id M1): must not be empty."),
    (
        "members[1] (id M2)：缺少必填字段“branch”。",
        'members[1] (id M2): the required field "branch" is missing.',
    ),
    (
        'entries[0].date (id E1)："2026-02-30" 不是有效的日期（应为 YYYY-MM-DD）。',
        'entries[0].date (id E1): "2026-02-30" is not a valid date (YYYY-MM-DD).',
    ),
    (
        'entries[0].occurrences (id E1)：应为整数，实为 "3"。',
        'entries[0].occurrences (id E1): must be of type integer, not "3".',
    ),
    (
        "decisions[0].note (member M2)：含有不允许的控制字符（U+001B）。",
        "decisions[0].note (member M2): holds a control character that is not allowed (U+001B).",
    ),
]

CHECKS = [
    ("entries[0] (id E1)：党员 GHOST 不存在。", "entries[0] (id E1): unknown member GHOST."),
    (
        "members[1] (id M2)：W 不是党支部，只有党支部才有党员。",
        "members[1] (id M2): W is not a branch; only branches hold members.",
    ),
    (
        "members[0] (id M1).exemptions[0]：指标 X9 不存在。",
        "members[0] (id M1).exemptions[0]: unknown item X9.",
    ),
    (
        "organizations (code B1)：编号 B1 出现了 2 次。",
        "organizations (code B1): B1 appears 2 times.",
    ),
]


@pytest.mark.parametrize(("bundle", "expected"), [(_misshapen, SHAPE), (_inconsistent, CHECKS)])
def test_a_bad_bundle_is_answered_in_chinese_and_in_english_under_en(bundle, expected):
    with translation.override("zh-hans"):
        chinese = bundle_validate(bundle())
    with translation.override("en"):
        english = bundle_validate(bundle())
    assert sorted(chinese) == sorted(zh for zh, _ in expected)
    assert sorted(english) == sorted(en for _, en in expected)
    assert all(CJK.search(m) for m in chinese)
    assert not any(CJK.search(m) for m in english)


def test_a_bundle_that_is_not_an_object_is_named_as_the_bundle():
    with translation.override("zh-hans"):
        assert bundle_validate([]) == ["数据包顶层：应为对象，实为 […]。"]
    with translation.override("en"):
        assert bundle_validate([]) == ["the bundle: must be of type object, not […]."]


SCHEMA = {
    "type": "object",
    "properties": {
        "tags": {"type": "array", "maxItems": 1, "uniqueItems": True},
        "list": {"type": "array", "minItems": 2},
        "share": {"type": "number", "exclusiveMaximum": 1},
        "step": {"multipleOf": 2},
    },
    "additionalProperties": False,
}


@pytest.mark.parametrize(
    ("instance", "chinese", "english"),
    [
        ({"zz": 1}, 'x：不允许的字段 "zz"。', 'x: fields not allowed: "zz".'),
        ({"tags": [1, 1]}, "x：最多 1 项（实有 2 项）。", "x: at most 1 items (there are 2)."),
        ({"tags": [1, 1]}, "x：含有重复的项。", "x: holds repeated items."),
        ({"list": [1]}, "x：至少 2 项（实有 1 项）。", "x: at least 2 items (there are 1)."),
        ({"share": 1}, "x：须小于 1（实为 1）。", "x: must be less than 1 (it is 1)."),
        # A kind without a message of its own: the generic one, with the path.
        (
            {"step": 3},
            "x：不符合数据包格式（规则 multipleOf）。",
            "x: does not match the bundle format (rule multipleOf).",
        ),
    ],
)
def test_each_kind_of_schema_error_has_its_message(instance, chinese, english):
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(instance))
    with translation.override("zh-hans"):
        assert chinese in [_schema_message(e, "x") for e in errors]
    with translation.override("en"):
        assert english in [_schema_message(e, "x") for e in errors]
