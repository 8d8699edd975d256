"""The messages of a bundle's schema errors: one Chinese message (English under ``en``) per
kind of error, naming the record (its JSON path and id/code/member) and the field; a kind
without its own message gets a generic one with the path."""

import json
import re
from typing import Any, Protocol

import jsonschema
from django.utils.translation import gettext, pgettext_lazy

from kaoping.kit.text import CODE_MAX, NO_CONTROL_PATTERN, bad_name_start, control_char

from .reading import bundle_schema


class Collector(Protocol):
    def add(self, key: tuple, message: str) -> None: ...


def schema_check(errors: Collector, validator, instance: Any, at: tuple = ()) -> bool:
    """Adds a message to ``errors`` for each schema error of ``instance`` (the record
    ``at`` = (list, index) of the bundle, or the whole bundle); True when there was one."""
    bad = False
    document = {at[0]: {at[1]: instance}} if at else instance
    for e in _schema_errors(validator, instance):
        bad = True
        path = [*at, *e.absolute_path]
        errors.add(tuple(map(str, path)), _schema_message(e, _label(document, path)))
    return bad


def _label(data: Any, path: list) -> str:
    """``entries[17] (id E000123)`` for a JSON path into the bundle."""
    parts: list[str] = []
    node = data
    ident = ""
    for step in path:
        if isinstance(step, int):
            parts[-1] = f"{parts[-1]}[{step}]" if parts else f"[{step}]"
        else:
            parts.append(str(step))
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict):
            for key in ("id", "code", "member"):
                if isinstance(node.get(key), str | int):
                    ident = f" ({key} {node[key]})"
                    break
    return ".".join(parts) + ident if parts else gettext("数据包顶层")


JSON_TYPES = {
    "string": pgettext_lazy("JSON type", "字符串"),
    "integer": pgettext_lazy("JSON type", "整数"),
    "number": pgettext_lazy("JSON type", "数字"),
    "object": pgettext_lazy("JSON type", "对象"),
    "array": pgettext_lazy("JSON type", "数组"),
    "boolean": pgettext_lazy("JSON type", "布尔值"),
    "null": "null",
}
SHOWN_MAX = 40


def shown(value: Any) -> str:
    """A value as the bundle wrote it (JSON), cut short; lists and objects elided."""
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN_MAX else f"{text[: SHOWN_MAX - 1]}…"


def _leaf(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For a value matching none of a ``oneOf``'s forms (``parent``: a code or null), the
    error of the form it was meant to be; decimals keep their own message."""
    defs = bundle_schema()["$defs"]
    while (
        error.validator in ("oneOf", "anyOf") and error.context and error.schema != defs["decimal"]
    ):
        forms = error.validator_value
        meant = [e for e in error.context if forms[e.relative_schema_path[0]] != {"type": "null"}]
        error = jsonschema.exceptions.best_match(meant or error.context)
    return error


def _schema_errors(validator: jsonschema.Draft202012Validator, instance: Any):
    for error in map(_leaf, validator.iter_errors(instance)):
        if error.validator == "pattern" and error.instance == "" and error.schema.get("minLength"):
            continue  # an empty name: its minLength error says so
        yield error


def _missing(error: jsonschema.ValidationError) -> str:
    """The property a ``required`` error is about (jsonschema gives one error each)."""
    for name in error.validator_value:
        if error.message == f"{name!r} is a required property":
            return name
    return ", ".join(n for n in error.validator_value if n not in error.instance)


def _extra(error: jsonschema.ValidationError) -> str:
    known = error.schema.get("properties", {})
    patterns = error.schema.get("patternProperties", {})
    extra = [
        k for k in error.instance if k not in known and not any(re.search(p, k) for p in patterns)
    ]
    return ", ".join(shown(k) for k in extra[:5]) + ("…" if len(extra) > 5 else "")


def _schema_message(error: jsonschema.ValidationError, where: str) -> str:
    """The Chinese message of a schema error (English under ``en``), naming ``where``: the
    JSON path of the field and its record (``entries[3].date (id T0004)``). Every message
    takes its placeholders from the same values: ``value`` as the bundle wrote it, ``n`` the
    schema's limit, ``m`` the length of a text or list."""
    defs = bundle_schema()["$defs"]
    kind, limit, value = error.validator, error.validator_value, error.instance
    said = {
        "where": where,
        "value": shown(value),
        "n": limit,
        "m": len(value) if isinstance(value, str | list | dict) else None,
        "rule": kind,
    }
    if error.schema == defs["decimal"]:
        return gettext('%(where)s：%(value)s 不是十进制数（小数请写成字符串，如 "0.5"）。') % said
    if kind == "required":
        return gettext("%(where)s：缺少必填字段“%(field)s”。") % {**said, "field": _missing(error)}
    if kind == "type":
        expected = [limit] if isinstance(limit, str) else list(limit)
        return gettext("%(where)s：应为%(expected)s，实为 %(value)s。") % {
            **said,
            "expected": " / ".join(str(JSON_TYPES.get(t, t)) for t in expected),
        }
    # The text limits of kaoping.kit.text, said as the forms and the API say them.
    if kind == "maxLength":
        return gettext("%(where)s：最多 %(n)s 个字符（实有 %(m)s 个）。") % said
    if kind == "minLength" and value == "":
        return gettext("%(where)s：不能为空。") % said
    if kind == "minLength":
        return gettext("%(where)s：至少 %(n)s 个字符（实有 %(m)s 个）。") % said
    if kind == "pattern" and error.schema == defs["code"]:
        return gettext(
            "%(where)s：编号“%(v)s”只能由字母、数字和 . _ - 组成，并以字母或数字开头。"
        ) % {**said, "v": value[:CODE_MAX]}
    names = (defs["person_name"], defs["org_name"])
    if kind == "pattern" and error.schema in names and bad_name_start(value):
        return gettext("%(where)s：名称不能以 = + - @ 或控制字符开头。") % said
    if kind == "pattern" and (
        error.schema in names or error.schema.get("pattern") == NO_CONTROL_PATTERN
    ):
        return gettext("%(where)s：含有不允许的控制字符（%(c)s）。") % {
            **said,
            "c": control_char(value),
        }
    if kind == "format" and limit == "date":
        return gettext("%(where)s：%(value)s 不是有效的日期（应为 YYYY-MM-DD）。") % said
    if kind in ("pattern", "format"):
        return gettext("%(where)s：%(value)s 不符合格式 %(pattern)s。") % {**said, "pattern": limit}
    if kind == "enum" and "propertyNames" in error.relative_schema_path:
        return gettext("%(where)s：不允许的键 %(value)s，可用的键：%(allowed)s。") % {
            **said,
            "allowed": ", ".join(map(shown, limit)),
        }
    if kind == "enum":
        return gettext("%(where)s：%(value)s 不是允许的值，可用的值：%(allowed)s。") % {
            **said,
            "allowed": ", ".join(map(shown, limit)),
        }
    if kind == "const":
        return gettext("%(where)s：应为 %(expected)s，实为 %(value)s。") % {
            **said,
            "expected": shown(limit),
        }
    if kind == "minimum":
        return gettext("%(where)s：不能小于 %(n)s（实为 %(value)s）。") % said
    if kind == "maximum":
        return gettext("%(where)s：不能大于 %(n)s（实为 %(value)s）。") % said
    if kind == "exclusiveMinimum":
        return gettext("%(where)s：须大于 %(n)s（实为 %(value)s）。") % said
    if kind == "exclusiveMaximum":
        return gettext("%(where)s：须小于 %(n)s（实为 %(value)s）。") % said
    if kind == "additionalProperties" and isinstance(value, dict):
        return gettext("%(where)s：不允许的字段 %(fields)s。") % {**said, "fields": _extra(error)}
    if kind == "maxItems":
        return gettext("%(where)s：最多 %(n)s 项（实有 %(m)s 项）。") % said
    if kind == "minItems":
        return gettext("%(where)s：至少 %(n)s 项（实有 %(m)s 项）。") % said
    if kind == "uniqueItems":
        return gettext("%(where)s：含有重复的项。") % said
    if kind in ("oneOf", "anyOf"):
        return gettext("%(where)s：%(value)s 不符合任何一种允许的形式。") % said
    return gettext("%(where)s：不符合数据包格式（规则 %(rule)s）。") % said
