"""The year a page shows: read from the form or the query string, kept in links."""

from kaoping.schemes.models import Scheme


def year_param(request) -> str | None:
    return request.POST.get("year") or request.GET.get("year")


def with_year(url: str, scheme: Scheme | None) -> str:
    return f"{url}?year={scheme.year}" if scheme is not None else url
