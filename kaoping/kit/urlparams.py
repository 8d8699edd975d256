"""Numbers and codes from URLs and query strings, parsed in one place.

Whatever a client puts in a path or a query string ends as a 400 or a 404, never as a 500
from the database: a 20-digit number overflows PostgreSQL's bigint and Python's sqlite3
integers, and PostgreSQL refuses a NUL byte in any text. So:

- path converters (``register_converters``, called once by ``config/urls.py``):
  ``<code:…>`` 1-64 characters without a slash or a control character, ``<year:…>``
  1900-9999, ``<id:…>`` a database id that fits a bigint. A value they refuse matches no
  route: 404.
- ``QueryStringMiddleware`` answers 400 to a page request whose query string holds a
  control character, or a ``year``/``page`` that is not a number in range. The API is left
  to ninja, which checks its parameters against its own schema (422; ``api/pagination.py``).
- views turn the values into numbers with ``parse_year``/``parse_page``/``parse_code``,
  which apply the same rules to query strings and form posts alike.
"""

from __future__ import annotations

import re

from django.core.exceptions import BadRequest
from django.urls import register_converter
from django.urls.converters import get_converters
from django.utils.translation import gettext as _

YEAR_MIN, YEAR_MAX = 1900, 9999
CODE_MAX_LENGTH = 64
SQL_INT_MAX = 2**63 - 1  # PostgreSQL's bigint, SQLite's integer
# More pages than any list will have, and few enough that page × page size (at most 1000
# on the API) stays far inside a 64-bit OFFSET.
PAGE_MAX = 10**9

# Control characters: C0, DEL and C1. A query string may hold tab and line breaks (a form's
# text); a code holds none of them.
_CONTROL = r"\x00-\x1f\x7f-\x9f"
_HAS_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CODE_REGEX = rf"[^/{_CONTROL}]{{1,{CODE_MAX_LENGTH}}}"
_CODE = re.compile(CODE_REGEX)


# --------------------------------------------------------------------------- parsing


def parse_int(raw: str | int | None, *, name: str, low: int, high: int) -> int | None:
    """``raw`` as an integer in [low, high]; None when absent or empty; 400 otherwise."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, int):
        value = raw
    else:
        # ASCII digits only: str.isdigit() accepts "²", which int() refuses.
        text = str(raw).strip()
        value = int(text) if text.isascii() and text.isdigit() and len(text) <= 19 else None
    if value is None or not low <= value <= high:
        raise BadRequest(
            _("参数 %(name)s 必须是 %(low)s 至 %(high)s 之间的整数。")
            % {"name": name, "low": low, "high": high}
        )
    return value


def parse_year(raw: str | int | None, *, name: str = "year") -> int | None:
    return parse_int(raw, name=name, low=YEAR_MIN, high=YEAR_MAX)


def parse_page(raw: str | int | None, *, name: str = "page") -> int | None:
    return parse_int(raw, name=name, low=1, high=PAGE_MAX)


def parse_code(raw: str | None, *, name: str = "code") -> str | None:
    """A record's code from a query string or a form: None when absent or empty; 400 when
    it could be no code (too long, a slash, a control character)."""
    if raw is None or raw == "":
        return None
    if not _CODE.fullmatch(raw):
        raise BadRequest(
            _("参数 %(name)s 不是有效的编号（最多 %(max)s 个字符，不含斜杠和控制字符）。")
            % {"name": name, "max": CODE_MAX_LENGTH}
        )
    return raw


# The numbers a page's query string may carry, checked before any view runs.
QUERY_NUMBERS = {"year": parse_year, "page": parse_page}


def check_query(params) -> None:
    """400 unless every name and value of ``params`` (a QueryDict) is free of control
    characters and every known number in it is in range."""
    for name, values in params.lists():
        if _HAS_CONTROL.search(name) or any(_HAS_CONTROL.search(v) for v in values):
            raise BadRequest(_("查询参数 %(name)s 含有控制字符。") % {"name": name[:64]})
        if name in QUERY_NUMBERS:
            for value in values:
                QUERY_NUMBERS[name](value, name=name)


class QueryStringMiddleware:
    """``check_query`` on the query string of every request except the API's (ninja
    validates those against the schema and answers 422 in its own JSON)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or "api" not in match.namespaces:
            check_query(request.GET)


# --------------------------------------------------------------------------- converters


class _Converter:
    def to_url(self, value) -> str:
        return str(value)


class CodeConverter(_Converter):
    regex = CODE_REGEX

    def to_python(self, value: str) -> str:
        return value


class _NumberConverter(_Converter):
    """Digits as a number from ``low`` to ``high``; outside, no match (Django: 404)."""

    low = 0
    high = SQL_INT_MAX

    def to_python(self, value: str) -> int:
        number = int(value)
        if not self.low <= number <= self.high:
            raise ValueError(number)
        return number


class YearConverter(_NumberConverter):
    regex = "[0-9]{4}"
    low, high = YEAR_MIN, YEAR_MAX


class IdConverter(_NumberConverter):
    regex = "[0-9]{1,19}"


CONVERTERS = {"code": CodeConverter, "year": YearConverter, "id": IdConverter}


def register_converters() -> None:
    """Make ``<code:…>``, ``<year:…>`` and ``<id:…>`` known to every URLconf (once)."""
    known = get_converters()
    for name, converter in CONVERTERS.items():
        if name not in known:
            register_converter(converter, name)
