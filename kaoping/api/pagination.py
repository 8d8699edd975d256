"""The API's paging (docs/api.md "Paging").

``Cursor``: keyset paging, stable under inserts. A page is ``{"items": [...], "next":
URL or null, "next_cursor": cursor or null}``; the client follows ``next`` (or sends
``?cursor=``) until it is null. The cursor is opaque and signed: it holds the ordering of
the list and the values of its last row in that ordering (the id breaking ties), and the
next page is the rows after them. Rows inserted while a client pages are never repeated
and never make it skip a row (an offset would do both). ``limit`` is bounded (1-1000).

``Page``: page numbers, bounded: ``?page=99999999999999999`` is a 422 like ``?page=0``,
never an OFFSET that overflows the database. Kept only for the lists computed in Python
(results, rosters, cases, accounts, roles), which have no column to seek on.
"""

from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination, PaginationBase

from kaoping.kit.urlparams import PAGE_MAX

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
CURSOR_SALT = "kaoping.api.cursor"
CURSOR_MAX = 1000  # characters: a cursor holds a few short values


class Page(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=PAGE_MAX)
        # larger sizes are cut to MAX_PAGE_SIZE, as ninja does
        page_size: int | None = Field(None, ge=1)

    def __init__(self, **kwargs):
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


def _ordering(queryset: QuerySet) -> list[str]:
    """The list's ordering as field paths (``-`` for descending), the primary key last."""
    fields = [str(f) for f in (queryset.query.order_by or queryset.model._meta.ordering)]
    if not all(
        isinstance(f, str) and f.lstrip("-").replace("__", "").isidentifier() for f in fields
    ):
        raise TypeError(f"cursor paging needs an ordering by fields, not {fields}")
    if not any(f.lstrip("-") in {"pk", "id"} for f in fields):
        fields.append("pk")
    return fields


def _after(fields: list[str], values: list[Any]) -> Q:
    """Rows after ``values`` in the ordering ``fields`` (lexicographic, each field in its
    own direction)."""
    condition = Q()
    equal = Q()
    for field, value in zip(fields, values, strict=True):
        name = field.lstrip("-")
        step = Q(**{f"{name}__{'lt' if field.startswith('-') else 'gt'}": value})
        condition |= equal & step
        equal &= Q(**{name: value})
    return condition


def _cursor_refusal() -> ValidationError:
    return ValidationError({"cursor": [_("分页游标无效，请从第一页重新开始。")]})


class Cursor(PaginationBase):
    class Input(Schema):
        cursor: str | None = Field(None, min_length=1, max_length=CURSOR_MAX)
        limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    class Output(Schema):
        items: list[Any]
        next: str | None = Field(None, description="The next page's URL; null on the last.")
        next_cursor: str | None = Field(None, description="The ``cursor`` of the next page.")

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict:
        fields = _ordering(queryset)
        names = [f"_kp_cursor_{i}" for i in range(len(fields))]
        queryset = queryset.order_by(*fields).annotate(
            **{n: F(f.lstrip("-")) for n, f in zip(names, fields, strict=True)}
        )
        if pagination.cursor:
            try:
                state = signing.loads(pagination.cursor, salt=CURSOR_SALT)
            except signing.BadSignature as exc:
                raise _cursor_refusal() from exc
            if not isinstance(state, dict) or state.get("o") != fields:
                raise _cursor_refusal()
            values = state.get("v")
            if not isinstance(values, list) or len(values) != len(fields):
                raise _cursor_refusal()
            queryset = queryset.filter(_after(fields, values))
        rows = list(queryset[: pagination.limit + 1])
        items, more = rows[: pagination.limit], len(rows) > pagination.limit
        next_cursor = None
        if more and items:
            last = items[-1]
            values = [_plain(getattr(last, n)) for n in names]
            next_cursor = signing.dumps({"o": fields, "v": values}, salt=CURSOR_SALT)
        return {
            "items": items,
            "next": _next_page_url(request, next_cursor) if next_cursor else None,
            "next_cursor": next_cursor,
        }


def _plain(value: Any) -> Any:
    """A value as JSON holds it and the database takes it back (dates, times and
    decimals as ISO text)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _next_page_url(request: HttpRequest, cursor: str) -> str:
    query: QueryDict = request.GET.copy()
    query["cursor"] = cursor
    return f"{request.path}?{query.urlencode()}"
