"""The bundle's shape (bundle.schema.json), checked two ways: a compiled validator
(fastjsonschema) says quickly whether a record is good, and only for a record it refuses
does jsonschema run, to name every rule that failed (schema_messages.py turns its errors
into Chinese). fastjsonschema stops at the first error and does not tell the oneOf branch
a value was meant to match, which the messages need (decision in docs/decisions.md)."""

from collections.abc import Callable
from functools import cache
from typing import Any

import fastjsonschema
import jsonschema

from .reading import RECORD_LISTS, bundle_schema

__all__ = ["RECORD_LISTS", "is_valid", "validator"]

FORMAT_CHECKER = jsonschema.Draft202012Validator.FORMAT_CHECKER


def _schema(section: str | None) -> dict:
    """The whole document's schema, or one record's of a record list."""
    schema = bundle_schema()
    if section is not None:
        return {"$defs": schema["$defs"], **schema["properties"][section]["items"]}
    # the $id is a name, not a URL; fastjsonschema would try to resolve refs against it
    return {k: v for k, v in schema.items() if k != "$id"}


@cache
def validator(section: str | None) -> jsonschema.Draft202012Validator:
    """The validator that names every error (the slow path)."""
    return jsonschema.Draft202012Validator(_schema(section), format_checker=FORMAT_CHECKER)


@cache
def _compiled(section: str | None) -> Callable[[Any], Any]:
    # Formats as jsonschema checks them, so that both say the same of a date.
    formats = {name: (lambda v, n=name: FORMAT_CHECKER.conforms(v, n)) for name in ("date",)}
    return fastjsonschema.compile(_schema(section), formats=formats)


def is_valid(section: str | None, instance: Any) -> bool:
    """Whether ``instance`` (a record of ``section``, or the whole document) satisfies the
    schema, by the compiled validator."""
    try:
        _compiled(section)(instance)
    except fastjsonschema.JsonSchemaException:
        return False
    return True
