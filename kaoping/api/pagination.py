"""The API's page numbers, bounded: ``?page=99999999999999999`` is a 422 like ``?page=0``,
never an OFFSET that overflows the database (a 500 on PostgreSQL and on SQLite)."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

from kaoping.kit.urlparams import PAGE_MAX

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


class Page(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=PAGE_MAX)
        # larger sizes are cut to MAX_PAGE_SIZE, as ninja does
        page_size: int | None = Field(None, ge=1)

    def __init__(self, **kwargs):
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)
