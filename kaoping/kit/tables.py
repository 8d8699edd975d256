"""Server-side tables: paging, sorting, search and filters from GET parameters.

A list page describes its table once (``TableSpec``: the columns, which of them sort and
how, what the search box looks in, the filters) and calls ``table(request, rows, spec)``
with the rows its selector gave (a queryset scoped by the actor, or a list a selector
built). Everything the person chose is a GET parameter, so a link or the back button
shows the same page without JavaScript; htmx only swaps the table region
(``web/_table_tools.html``, ``web/_table_head.html``, ``web/_pager.html``).

Whatever a client puts in those parameters falls back to the default: an unknown sort
or filter value, a page size that is not offered, a page past the last (the last page),
a search longer than ``SEARCH_MAX`` (cut). Never a 500. A bare ``page`` that is not a
number is answered 400 earlier by ``kit.urlparams.QueryStringMiddleware``.

A queryset costs two queries whatever its size or the page (the count and the page's
rows); a list costs none. Sorting always ends with the id (the list's ``tiebreak``), so
rows that tie keep one order from page to page, and NULLs sort last on both databases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import QueryDict

PAGE_SIZES = (25, 50, 100)
SEARCH_MAX = 50
PAGE_LIMIT = 10**6  # a page number above this is "the last page"


@dataclass(frozen=True)
class Column:
    """A column: ``name`` (its key in the templates and in ``?sort=``), its label, and how
    it sorts: ``order`` (queryset fields, ascending; "-field" descending) or ``key`` (a
    list row's value); neither: not sortable."""

    name: str
    label: Any
    order: tuple[str, ...] = ()
    key: Callable[[Any], Any] | None = None
    num: bool = False

    @property
    def sortable(self) -> bool:
        return bool(self.order) or self.key is not None


@dataclass(frozen=True)
class Filter:
    """A choice among ``choices`` (value, label): ``lookup`` (a queryset field) or ``key``
    (a list row's value) must equal it. An unknown value is no filter."""

    name: str
    label: Any
    choices: Sequence[tuple[str, Any]]
    lookup: str = ""
    key: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class TableSpec:
    columns: tuple[Column, ...]
    default_sort: str  # a column's name, "-" first for descending
    search: tuple[str, ...] = ()  # queryset fields the search looks in (icontains)
    search_text: Callable[[Any], str] | None = None  # a list row's searchable text
    search_label: Any = ""  # the search box's placeholder ("姓名、编号")
    filters: tuple[Filter, ...] = ()
    prefix: str = ""  # two tables on one page: "entries" gives entries_page, entries_sort…
    tiebreak: str = "id"
    sizes: tuple[int, ...] = PAGE_SIZES

    def param(self, name: str) -> str:
        return f"{self.prefix}_{name}" if self.prefix else name

    @property
    def searchable(self) -> bool:
        return bool(self.search) or self.search_text is not None


@dataclass
class HeadCell:
    column: Column
    url: str = ""  # the link that sorts by it (or reverses it); "" when it does not sort
    direction: str = ""  # "ascending"/"descending" on the column sorted by (aria-sort)

    @property
    def label(self) -> Any:
        return self.column.label

    @property
    def num(self) -> bool:
        return self.column.num


@dataclass
class FilterState:
    filter: Filter
    param: str
    value: str

    @property
    def label(self) -> Any:
        return self.filter.label

    @property
    def choices(self) -> Sequence[tuple[str, Any]]:
        return self.filter.choices


@dataclass
class Table:
    spec: TableSpec
    path: str
    params: QueryDict  # the request's GET, for links that keep the other parameters
    page: Page
    sort: str
    size: int
    q: str
    filters: list[FilterState] = field(default_factory=list)

    # ---- what the templates read

    @property
    def rows(self) -> list:
        return list(self.page.object_list)

    @property
    def id(self) -> str:
        return f"{self.spec.prefix or 'list'}-table"

    @property
    def labels(self) -> dict[str, Any]:
        return {c.name: c.label for c in self.spec.columns}

    @property
    def head(self) -> list[HeadCell]:
        cells = []
        for column in self.spec.columns:
            cell = HeadCell(column)
            if column.sortable:
                current = self.sort.lstrip("-") == column.name
                descending = self.sort.startswith("-")
                if current:
                    cell.direction = "descending" if descending else "ascending"
                # a click sorts by the column, or reverses the order it is sorted in
                target = f"-{column.name}" if current and not descending else column.name
                cell.url = self.url(sort=target, page=None)
            cells.append(cell)
        return cells

    @property
    def searchable(self) -> bool:
        return self.spec.searchable

    @property
    def q_param(self) -> str:
        return self.spec.param("q")

    @property
    def size_param(self) -> str:
        return self.spec.param("size")

    @property
    def sizes(self) -> tuple[int, ...]:
        return self.spec.sizes

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def narrowed(self) -> bool:
        """Whether a search or filter is on (the empty row then says so)."""
        return bool(self.q) or any(f.value for f in self.filters)

    @property
    def kept(self) -> list[tuple[str, str]]:
        """The parameters the tools form passes on unchanged (those of other tables, the
        year…), as hidden inputs: everything but its own fields and the page."""
        own = {self.spec.param(n) for n in ("q", "size", "page")}
        own |= {f.param for f in self.filters}
        return [(k, v) for k, values in self.params.lists() if k not in own for v in values]

    @property
    def clear_url(self) -> str:
        changes: dict[str, Any] = {"q": None, "page": None}
        changes.update({f.filter.name: None for f in self.filters})
        return self.url(**changes)

    @property
    def pages(self) -> list[tuple[int | None, str]]:
        """The pager's numbers (None: a gap), each with its link."""
        numbers = self.page.paginator.get_elided_page_range(
            self.page.number, on_each_side=1, on_ends=1
        )
        return [(n, self.url(page=n)) if isinstance(n, int) else (None, "") for n in numbers]

    @property
    def previous_url(self) -> str:
        return self.url(page=self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.url(page=self.page.next_page_number()) if self.page.has_next() else ""

    def url(self, **changes: Any) -> str:
        """This page's URL with the table's parameters changed (None removes one; the
        defaults are left out, so links stay short)."""
        params = self.params.copy()
        for name, value in changes.items():
            key = self.spec.param(name)
            params.pop(key, None)
            default = {"page": 1, "sort": self.spec.default_sort, "size": self.spec.sizes[0]}
            if value is not None and value != "" and value != default.get(name):
                params[key] = str(value)
        query = params.urlencode()
        return f"{self.path}?{query}" if query else self.path


# --------------------------------------------------------------------------- reading


def _choice(raw: str | None, allowed) -> str:
    return raw if raw is not None and raw in allowed else ""


def _number(raw: str | None) -> int | None:
    text = (raw or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 9:
        return int(text)
    return None


def _sorted_queryset(qs: QuerySet, spec: TableSpec, sort: str) -> QuerySet:
    column = next(c for c in spec.columns if c.name == sort.lstrip("-"))
    descending = sort.startswith("-")
    terms = []
    for name in [*column.order, spec.tiebreak]:
        # "-field" in a column's order: that field runs the other way.
        down = descending != name.startswith("-")
        field_ = F(name.lstrip("-"))
        terms.append(field_.desc(nulls_last=True) if down else field_.asc(nulls_last=True))
    return qs.order_by(*terms)


def _sorted_list(rows: list, spec: TableSpec, sort: str) -> list:
    column = next(c for c in spec.columns if c.name == sort.lstrip("-"))
    key = column.key
    assert key is not None  # noqa: S101 - a list table's sortable columns have a key
    present = [r for r in rows if key(r) is not None]
    absent = [r for r in rows if key(r) is None]  # last, either way, like the database
    present.sort(key=key, reverse=sort.startswith("-"))
    return present + absent


def table(request, rows: QuerySet | list, spec: TableSpec) -> Table:
    """The page of ``rows`` the request asks for (see the module's docstring)."""
    get = request.GET
    sortable = {c.name for c in spec.columns if c.sortable}
    raw_sort = get.get(spec.param("sort")) or ""
    sort = raw_sort if raw_sort.lstrip("-") in sortable else spec.default_sort
    size = _number(get.get(spec.param("size")))
    size = size if size in spec.sizes else spec.sizes[0]
    q = " ".join((get.get(spec.param("q")) or "").split())[:SEARCH_MAX] if spec.searchable else ""
    states = [
        FilterState(
            f,
            spec.param(f.name),
            _choice(get.get(spec.param(f.name)), {v for v, _label in f.choices}),
        )
        for f in spec.filters
    ]

    if isinstance(rows, QuerySet):
        for s in states:
            if s.value:
                rows = rows.filter(**{s.filter.lookup: s.value})
        if q:
            rows = rows.filter(reduce(or_, (Q(**{f"{f}__icontains": q}) for f in spec.search)))
        rows = _sorted_queryset(rows, spec, sort)
    else:
        for s in states:
            if s.value:
                rows = [r for r in rows if str(s.filter.key(r)) == s.value]  # type: ignore[misc]
        if q:
            needle = q.casefold()
            rows = [r for r in rows if needle in spec.search_text(r).casefold()]  # type: ignore[misc]
        rows = _sorted_list(list(rows), spec, sort)

    number = _number(get.get(spec.param("page")))
    page = Paginator(rows, size).get_page(min(number or 1, PAGE_LIMIT))
    return Table(
        spec=spec,
        path=request.path,
        params=get,
        page=page,
        sort=sort,
        size=size,
        q=q,
        filters=states,
    )
