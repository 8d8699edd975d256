"""Examples in the OpenAPI document (接口文档示例): one per schema, per request body, per
successful answer and per error.

The examples are made from the schemas themselves, so a new operation has them without
anyone writing one, and they cannot drift from what the API accepts: a value comes from
the field's own ``examples``, else its enum, else a domain value by the field's name
(``VALUES``: codes, dates, scores as the demo district has them), else one that fits its
type and bounds. ``api/tests/test_openapi_examples.py`` validates every example against
its schema.
"""

from __future__ import annotations

import re
from typing import Any

Schema = dict[str, Any]

# Domain values by field name, as the demo district has them (kaoping/demo/district.py).
VALUES: dict[str, Any] = {
    "code": "B01-007",
    "member": "B01-007",
    "members": "B01-007",
    "codes": "B01-007",
    "person": "B01-007",
    "author": "B01-007",
    "branch": "B01",
    "from_branch": "B01",
    "to_branch": "B04",
    "organization": "P1",
    "parent": "P1",
    "group": "SG-1",
    "item": "D03",
    "item_code": "D03",
    "entry_item": "D03",
    "entry": "E-3F9A2C1B7D",
    "reverses": "E-3F9A2C1B7D",
    "reversed_by": "E-8B41D07E2A",
    "meeting": "MT-5C2E91A0F3",
    "case": "UQ-2026-0001",
    "job": "J-71D0C3A9E4",
    "receipt": "R7QK-2M9X-LP4D",
    "token": "kp_1f3c9a7e5b2d4c6a8e0f",
    "name": "周敏",
    "member_name": "周敏",
    "author_name": "吴刚",
    "organization_name": "区财政局预算股党支部",
    "username": "zhangsan",
    "title": "七月主题党日：学习党章",
    "topic": "学习党章第三章",
    "item_name": "无故缺席组织生活",
    "text": "请于 7 月 5 日前提交学习心得。",
    "note": "会议签到表第 2 页",
    "evidence": "会议签到表第 2 页",
    "evidence_text": "会议签到表第 2 页",
    "proof_text": "区志愿服务中心出具的证明",
    "reason": "因公出差，已书面请假",
    "decision_reason": "材料齐全，予以认定",
    "comment": "工作认真负责，群众评价好。",
    "secretary_comment": "工作认真负责，群众评价好。",
    "strengths": "学习积极，带头完成急难任务。",
    "shortcomings": "理论联系实际不够。",
    "suggestions": "加强政策学习。",
    "answer": "经核实，扣分依据充分，维持原结果。",
    "facts": "连续六个月未参加组织生活。",
    "measures": "支部书记谈心谈话，限期改正。",
    "detail": "已完成。",
    "description": "按月开展主题党日活动。",
    "place": "三楼党员活动室",
    "destination": "区发改委第一党支部",
    "message": "已完成。",
    "link": "/meetings/MT-5C2E91A0F3/",
    "url": "/api/jobs/J-71D0C3A9E4/file",
    "phone": "13800138000",
    "password": "Kaoping-2026-示例",
    "native_place": "浙江杭州",
    "ethnicity": "汉族",
    "education": "大学本科",
    "position": "科员",
    "year": 2026,
    "month": 7,
    "page": 1,
    "page_size": 50,
    "occurrences": 1,
    "count": 1,
    "amount": "12.50",
    "points": "-2.0",
    "total": "86.5",
    "composite": "86.5",
    "daily": "72.0",
    "democratic": "95.0",
    "base": "70",
    "base_points": "70",
    "bonus": "2.0",
    "bonus_cap": "10",
    "deductions": "-4.0",
    "share": "30",
    "democratic_share": "30",
    "democratic_pct": "30",
    "excellent_threshold": "90",
    "qualified_threshold": "70",
    "basic_threshold": "60",
    "excellent_quota": "15",
    "percent": "95.0",
    "difference": "-2.0",
    "status": "open",
    "state": "done",
    "kind": "theme_day",
    "grade": "qualified",
    "flags": "in_notice_period",
    "source": "manual",
    "recorded_by": "zhangsan",
    "decided_by": "zhangsan",
    "closed_by": "zhangsan",
    "by": "zhangsan",
    "user": "zhangsan",
    "outlook": "共 120 行，将新增 118 条记录。",
    "column": "日期",
    "file": "/api/jobs/J-71D0C3A9E4/file",
    "next_cursor": "eyJrIjogWyIyMDI2LTA3LTAxIiwgNDJdfQ",
    "cursor": "eyJrIjogWyIyMDI2LTA3LTAxIiwgNDJdfQ",
}

# ``code`` names the record its schema describes (by the schema's name); a member's else.
CODE_BY_SCHEMA: dict[str, str] = {
    "Entry": "E-3F9A2C1B7D",
    "Meeting": "MT-5C2E91A0F3",
    "Leave": "LV-2B7E0C91D4",
    "Case": "UQ-2026-0001",
    "Claim": "CL-6A0F2E8B13",
    "Task": "TK-90C4E1B7A2",
    "Inspection": "IN-4D8B2A6C01",
    "Finding": "FD-1E7C3B9A55",
    "Appeal": "AP-7B3D9E2C40",
    "Organization": "B01",
    "Group": "SG-1",
    "SchemeItem": "D03",
    "Item": "D03",
    "Draft": "DR-2027-1",
}

DATE = "2026-07-01"
DATE_TIME = "2026-07-01T09:00:00+08:00"
# Values tried, in order, when a field has none of its own that fits its bounds.
FALLBACK_STRINGS = ("示例", "B01", "example", "x")


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _fits(value: str, schema: Schema) -> bool:
    if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", 10**9):
        return False
    pattern = schema.get("pattern")
    return pattern is None or re.search(pattern, value) is not None


def _string(schema: Schema, name: str | None) -> str:
    fmt = schema.get("format")
    if fmt == "date":
        return DATE
    if fmt == "date-time":
        return DATE_TIME
    if fmt == "binary":
        return "(文件)"
    if name and name.endswith(("_on", "_date", "deadline")) and "format" not in schema:
        candidates: tuple[str, ...] = (DATE,)
    else:
        candidates = ()
    known = VALUES.get(name or "")
    if isinstance(known, str):
        candidates = (known, *candidates)
    for value in (*candidates, *FALLBACK_STRINGS, "2026-07"):
        if _fits(value, schema):
            return value
    return "x" * max(schema.get("minLength", 1), 1)


def _number(schema: Schema, name: str | None, kind: type) -> int | float:
    known = VALUES.get(name or "")
    value = kind(float(known)) if isinstance(known, (int, str)) and _is_number(known) else kind(1)
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    if low is not None and (value < low or (value == low and "exclusiveMinimum" in schema)):
        value = kind(low) + (kind(1) if "exclusiveMinimum" in schema else kind(0))
    if high is not None and value > high:
        value = kind(high)
    return value


def _is_number(value: int | str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def example_of(
    schema: Schema,
    components: dict[str, Schema],
    name: str | None = None,
    seen: frozenset[str] = frozenset(),
    owner: str = "",
) -> Any:
    """One value that the JSON schema accepts, named ``name`` in its parent."""
    if "$ref" in schema:
        ref = _ref_name(schema["$ref"])
        if ref in seen:  # a recursive shape ends here
            return None
        return example_of(components[ref], components, name, seen | {ref}, ref)
    if schema.get("examples"):
        return schema["examples"][0]
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("allOf", "anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return example_of(options[0], components, name, seen, owner)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        return _object(schema, components, seen, owner)
    if kind == "array":
        item = example_of(schema.get("items", {}), components, name, seen, owner)
        return [item] * max(1, schema.get("minItems", 1)) if item is not None else []
    if kind == "string":
        return _string(schema, name)
    if kind == "integer":
        return _number(schema, name, int)
    if kind == "number":
        return _number(schema, name, float)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return schema.get("default")


def _object(
    schema: Schema, components: dict[str, Schema], seen: frozenset[str], owner: str
) -> dict:
    value = {
        prop: example_of(sub, components, prop, seen, owner)
        for prop, sub in schema.get("properties", {}).items()
    }
    code = next((c for prefix, c in CODE_BY_SCHEMA.items() if owner.startswith(prefix)), None)
    if code and isinstance(value.get("code"), str) and _fits(code, schema["properties"]["code"]):
        value["code"] = code
    extra = schema.get("additionalProperties")
    if not value and isinstance(extra, dict):
        key = (
            _string(schema.get("propertyNames", {}), "field")
            if "propertyNames" in schema
            else "date"
        )
        value[key] = example_of(extra, components, key, seen)
    return value


# --------------------------------------------------------------------------- errors

# Per status: the machine codes an error can carry and an example message each (the
# codes and their meaning: docs/api.md "Errors").
ERROR_EXAMPLES: dict[int, list[tuple[str, str, dict[str, list[str]]]]] = {
    400: [
        ("bad_request", "请求正文不是有效的 JSON。", {}),
        ("idempotency_key_invalid", "Idempotency-Key 须为 1 到 100 个可打印的 ASCII 字符。", {}),
    ],
    401: [("not_authenticated", "请先登录，或提供有效的 API 令牌。", {})],
    403: [
        ("permission_denied", "您没有权限。", {}),
        ("read_only_token", "这个 API 令牌是只读的，不能用于写入。", {}),
        ("csrf_failed", "CSRF 校验失败：请带上 CSRF 令牌。", {}),
    ],
    404: [("not_found", "找不到所请求的内容。", {})],
    409: [
        ("conflict", "使用这个 Idempotency-Key 的请求仍在处理中，请稍后再查看结果。", {}),
    ],
    422: [
        ("validation_error", "date: 日期不在本年度内。", {"date": ["日期不在本年度内。"]}),
        (
            "idempotency_key_reused",
            "这个 Idempotency-Key 已用于另一个请求；请为新的请求换一个键。",
            {},
        ),
    ],
    429: [("throttled", "请求过于频繁，请稍后再试。", {})],
    500: [("server_error", "服务器内部错误", {})],
}


def _error_examples(status: int) -> dict[str, dict]:
    cases = ERROR_EXAMPLES.get(status) or [("error", "出错了。", {})]
    return {
        code: {"summary": code, "value": {"code": code, "detail": detail, "errors": errors}}
        for code, detail, errors in cases
    }


def openapi_examples_add(schema: Schema) -> None:
    """Give every component schema, request body, successful answer and error answer of
    the OpenAPI document ``schema`` an example, in place."""
    components = schema.get("components", {}).get("schemas", {})
    if "ErrorOut" in components:
        components["ErrorOut"]["examples"] = [_error_examples(422)["validation_error"]["value"]]
    for name, component in components.items():
        if "examples" not in component:
            component["examples"] = [example_of(component, components, owner=name)]
    for operations in schema["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                parameter.setdefault(
                    "example", example_of(parameter["schema"], components, parameter["name"])
                )
            for media in operation.get("requestBody", {}).get("content", {}).values():
                media.setdefault("example", example_of(media["schema"], components))
            for status, response in operation["responses"].items():
                media = response.get("content", {}).get("application/json")
                if media is None:
                    continue
                if str(status).startswith("2"):
                    media.setdefault("example", example_of(media["schema"], components))
                elif media["schema"].get("$ref", "").endswith("/ErrorOut"):
                    media.setdefault("examples", _error_examples(int(status)))
