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
"""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ijson

# The lists of records that are streamed; everything else at the top level is small.
RECORD_LISTS = ("members", "entries", "votes", "history", "decisions")
# Read in the first pass (short lists); ``entries`` gets its own pass.
FIRST_PASS_LISTS = ("members", "votes", "history", "decisions")

OnTop = Callable[[Any], None]
OnRecord = Callable[[str, int, Any], None]


class BundleNotJSON(ValueError):
    """The file is not JSON (or not UTF-8)."""


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
            raise BundleNotJSON(str(exc)) from exc
        except UnicodeDecodeError as exc:
            raise BundleNotJSON(f"not UTF-8: {exc}") from exc

    def _first_pass(self, on_record: OnRecord) -> Any:
        """One pass over the events: the top level, the short record lists, and the
        entries skipped (their events are only counted for depth)."""
        with self.path.open("rb") as f:
            events = ijson.parse(f, use_float=True)
            prefix, event, value = next(events, ("", None, None))
            if event is None:
                raise BundleNotJSON("the file is empty")
            if event != "start_map":
                return _build(prefix, event, value, events)
            top: dict[str, Any] = {}
            for prefix, event, value in events:
                if event == "end_map" and prefix == "":
                    break
                # map_key at the top level: the next event starts its value.
                key = value
                _, event, value = next(events)
                if key in RECORD_LISTS and event == "start_array":
                    top[key] = []
                    if key in FIRST_PASS_LISTS:
                        _records(key, events, on_record)
                    else:
                        _skip(events)
                else:
                    top[key] = _build(key, event, value, events)
            return top


def _build(prefix: str, event: str, value: Any, events: Iterator) -> Any:
    """The JSON value that starts with this event, built whole."""
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    if event in ("start_map", "start_array"):
        depth = 1
        for _, event, value in events:
            builder.event(event, value)
            if event in ("start_map", "start_array"):
                depth += 1
            elif event in ("end_map", "end_array"):
                depth -= 1
                if depth == 0:
                    break
    return builder.value


def _records(key: str, events: Iterator, on_record: OnRecord) -> None:
    """The elements of the array just started, one at a time."""
    for index, (prefix, event, value) in enumerate(events):
        if event == "end_array" and prefix == key:
            return
        on_record(key, index, _build(prefix, event, value, events))


def _skip(events: Iterator) -> None:
    depth = 1
    for _, event, _ in events:
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                return
