"""Reading a year bundle as a stream (数据包读取): the small parts whole, the long lists
record by record, so that memory does not grow with the size of the file.

A bundle file is read in two passes with ijson (the yajl2 C backend when installed):

1. the top level, event by event: the type of every top-level value, the small values
   built whole (``format``, ``year``, ``scheme``, ``organizations``, and any value that is
   not one of the record lists), and the records of ``members``, ``votes``, ``history``
   and ``decisions`` built one at a time; the records of ``entries`` are skipped;
2. ``entries.item`` with the C parser's own object builder (the long list, built record
   by record).

An in-memory bundle (a dict, e.g. the demo's) goes through the same interface.

Nesting is refused beyond the deepest the schema allows (``max_depth``), counted on the
prefix-free events of the first pass: ijson's path prefixes grow with the depth, so a file
of nested ``[`` would otherwise cost memory quadratic in its size before any check ran.
"""

import json
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import ijson
from django.utils.translation import gettext as _

# The lists of records that are streamed; everything else at the top level is small.
RECORD_LISTS = ("members", "entries", "votes", "history", "decisions")
# Read in the first pass (short lists); ``entries`` gets its own pass.
FIRST_PASS_LISTS = ("members", "votes", "history", "decisions")

OnTop = Callable[[Any], None]
OnRecord = Callable[[str, int, Any], None]


class BundleNotJSON(ValueError):
    """The file is not JSON (or not UTF-8)."""


class BundleTooDeep(ValueError):
    """The file nests arrays and objects deeper than the bundle schema allows."""


@cache
def bundle_schema() -> dict:
    return json.loads((Path(__file__).with_name("bundle.schema.json")).read_text(encoding="utf-8"))


def _schema_depth(node: Any, defs: dict, seen: tuple[str, ...] = ()) -> int:
    """How deep a value matching ``node`` can nest (an object or array is one level)."""
    if not isinstance(node, dict):
        return 0
    ref = node.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        return 0 if name in seen else _schema_depth(defs[name], defs, (*seen, name))
    inner = [*node.get("properties", {}).values(), *node.get("oneOf", ()), *node.get("anyOf", ())]
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            inner.append(node[key])
    deepest = max((_schema_depth(n, defs, seen) for n in inner), default=0)
    kinds = node.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    container = "object" in kinds or "array" in kinds or "properties" in node or "items" in node
    return deepest + (1 if container else 0)


@cache
def max_depth() -> int:
    """The deepest nesting a valid bundle has (the top-level object is level 1)."""
    schema = bundle_schema()
    return _schema_depth(schema, schema.get("$defs", {}))


def _depth_checked(events: Iterator) -> Iterator:
    """The basic (prefix-free) events, refused as soon as they nest too deep."""
    limit, depth = max_depth(), 0
    for event, value in events:
        if event in ("start_map", "start_array"):
            depth += 1
            if depth > limit:
                raise BundleTooDeep(
                    _("数据包嵌套过深：超过 %(n)s 层（数据包格式最多 %(n)s 层），未导入任何数据。")
                    % {"n": limit}
                )
        elif event in ("end_map", "end_array"):
            depth -= 1
        yield event, value


class BundleSource:
    """Where a bundle comes from. ``read(on_top, on_record)`` calls ``on_record(list,
    index, record)`` for every record of the record lists, and ``on_top(top)`` once before
    the first entry: the top level with every record list replaced by ``[]`` (or the
    whole document when it is not an object), what the whole-document checks need."""

    def read(self, on_top: OnTop, on_record: OnRecord) -> None:
        raise NotImplementedError


class DictSource(BundleSource):
    def __init__(self, data: Any):
        self.data = data

    def read(self, on_top: OnTop, on_record: OnRecord) -> None:
        data = self.data
        if not isinstance(data, dict):
            on_top(data)
            return
        for key in FIRST_PASS_LISTS:
            value = data.get(key)
            if isinstance(value, list):
                for index, record in enumerate(value):
                    on_record(key, index, record)
        on_top(
            {
                key: [] if key in RECORD_LISTS and isinstance(value, list) else value
                for key, value in data.items()
            }
        )
        if isinstance(data.get("entries"), list):
            for index, record in enumerate(data["entries"]):
                on_record("entries", index, record)


class FileSource(BundleSource):
    def __init__(self, path: str | Path):
        self.path = Path(path)

    def read(self, on_top: OnTop, on_record: OnRecord) -> None:
        try:
            top = self._first_pass(on_record)
            on_top(top)
            if isinstance(top, dict) and top.get("entries") == []:
                with self.path.open("rb") as f:
                    for index, record in enumerate(ijson.items(f, "entries.item", use_float=True)):
                        on_record("entries", index, record)
        except ijson.JSONError as exc:
            raise BundleNotJSON(_("JSON 语法错误：%(error)s") % {"error": exc}) from exc
        except UnicodeDecodeError as exc:
            raise BundleNotJSON(
                _("不是 UTF-8 编码（第 %(n)s 个字节）。") % {"n": exc.start}
            ) from exc

    def _first_pass(self, on_record: OnRecord) -> Any:
        """One pass over the events: the top level, the short record lists, and the
        entries skipped; every event is counted for depth (``_depth_checked``), so the
        second pass, which uses prefixes, only ever sees a file of bounded depth."""
        with self.path.open("rb") as f:
            events = _depth_checked(ijson.basic_parse(f, use_float=True))
            event, value = next(events, (None, None))
            if event is None:
                raise BundleNotJSON(_("文件是空的。"))
            if event != "start_map":
                return _build(event, value, events)
            top: dict[str, Any] = {}
            for event, value in events:
                if event == "end_map":  # every value is consumed whole: this is the top's end
                    break
                # map_key at the top level: the next event starts its value.
                key = value
                event, value = next(events)
                if key in RECORD_LISTS and event == "start_array":
                    top[key] = []
                    if key in FIRST_PASS_LISTS:
                        _records(key, events, on_record)
                    else:
                        _skip(events)
                else:
                    top[key] = _build(event, value, events)
            return top


def _build(event: str, value: Any, events: Iterator) -> Any:
    """The JSON value that starts with this event, built whole."""
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    if event in ("start_map", "start_array"):
        for inner in _rest_of_container(events):
            builder.event(*inner)
    return builder.value


def _records(key: str, events: Iterator, on_record: OnRecord) -> None:
    """The elements of the array just started, one at a time (each is consumed whole, so
    an ``end_array`` where an element would start ends the list)."""
    for index, (event, value) in enumerate(events):
        if event == "end_array":
            return
        on_record(key, index, _build(event, value, events))


def _rest_of_container(events: Iterator) -> Iterator[tuple[str, Any]]:
    """The events of the map or array just started, up to and with its end (the events
    go on after it)."""
    depth = 1
    for event, value in events:
        yield event, value
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                return


def _skip(events: Iterator) -> None:
    for _event in _rest_of_container(events):
        pass
