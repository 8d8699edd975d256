"""Out-of-range input in paths and query strings is refused, never a 500 (kaoping/kit/urlparams.py).

A 20-digit number overflows PostgreSQL's bigint and Python's sqlite3 integers; PostgreSQL
refuses a NUL byte in any text. Pages answer 400 or 404; the API answers 422 (its status for
an invalid parameter, as for ``?page=0``). The routes and operations come from the URL
resolver and the OpenAPI schema, so a new one is covered without an entry here.
"""

import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from kaoping.kit.urlparams import PAGE_MAX, YEAR_MAX, parse_code, parse_year

HUGE = "9" * 20  # more than a bigint holds
NUMBER_CONVERTERS = {"int", "year", "id"}
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
# A value that lets each parameter's route match, whatever the record.
SAMPLE = {"year": "2026", "pk": "1"}


def _routes(patterns=None, prefix=""):
    """(route, pattern) of every page route, parameters as ``<converter:name>``."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(p.pattern)
        if route.startswith(("admin/", "api/")):  # Django's admin; the API: below
            continue
        if route in ("healthz", "readyz"):  # probes: no parameters, read no query string,
            continue  # answered before every middleware (kaoping/ops/middleware.py)
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, route)
        else:
            yield route


def _url(route: str, **values: str) -> str:
    def value(m):
        return values.get(m[2], SAMPLE.get(m[2], "B1"))

    return "/" + PARAM.sub(value, route)


def _path_cases():
    """(route, parameter, value): NUL in every parameter, a huge number in every number."""
    for route in sorted(set(_routes())):
        for converter, name in PARAM.findall(route):
            yield route, name, "%00"
            yield route, name, "B1%00"
            if converter in NUMBER_CONVERTERS:
                yield route, name, HUGE


@pytest.fixture
def admin_client(district) -> Client:
    client = Client(raise_request_exception=False)  # a crash shows as its 500
    client.force_login(district.admin)
    return client


# One test per kind, over every route (a district per route would take minutes).


@pytest.mark.django_db
def test_out_of_range_path_parameter_is_404(admin_client):
    cases = list(_path_cases())
    assert len(cases) > 100
    got = {_url(route, **{name: value}): 0 for route, name, value in cases}
    for url in got:
        got[url] = admin_client.get(url).status_code
    assert {url: status for url, status in got.items() if status != 404} == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", [f"year={HUGE}", f"page={HUGE}", "year=²", "year=0", "month=2026-03&x=%00"]
)
def test_out_of_range_query_string_is_400(admin_client, query):
    """Every page and export, the xlsx ones included, whether it reads the value or not."""
    routes = sorted(set(_routes()))
    assert any(r.endswith(".xlsx") for r in routes)
    got = {f"{_url(route)}?{query}": 0 for route in routes}
    for url in got:
        got[url] = admin_client.get(url).status_code
    assert {url: status for url, status in got.items() if status != 400} == {}


@pytest.mark.django_db
def test_query_numbers_in_range_still_work(admin_client, district):
    for name, kwargs in [
        ("web:entries_xlsx", {"code": "B1"}),
        ("web:results_xlsx", {"code": "B1"}),
        ("meetings:attendance_xlsx", {"code": "B1"}),
    ]:
        response = admin_client.get(reverse(name, kwargs=kwargs) + "?year=2026")
        assert response.status_code == 200, name
        b"".join(response.streaming_content)
    assert admin_client.get(reverse("web:audit") + "?page=3").status_code == 200
    assert admin_client.get(reverse("web:branch", args=["B1"]) + "?year=2030").status_code == 404


@pytest.mark.django_db
def test_out_of_range_year_in_a_form_post_is_400(admin_client):
    """The year of a background job comes from a form: the same rule as a query string."""
    for name in ("web:results_compute", "web:entries_export"):
        response = admin_client.post(reverse(name), {"year": HUGE})
        assert response.status_code == 400, name


@pytest.mark.django_db
def test_nul_in_a_posted_member_code_is_400(district):
    client = Client(raise_request_exception=False)
    client.force_login(district.sec1)
    response = client.post(
        reverse("unqualified:candidate", args=["B1"]),
        {"member": "M1\x00", "condition": "8", "action": "propose"},
    )
    assert response.status_code == 400


def test_parsers_bounds():
    assert parse_year("2026") == 2026
    assert parse_year("") is None
    assert parse_code("M1") == "M1"
    for bad in (HUGE, "1899", str(YEAR_MAX + 1), "２０２６", "²", "-1", "1e3"):
        with pytest.raises(Exception, match="year"):
            parse_year(bad)
    for bad in ("M\x00", "a/b", "x" * 65):
        with pytest.raises(Exception, match="code"):
            parse_code(bad)


# --------------------------------------------------------------------------- the API


def _operations():
    from kaoping.api.api import api

    schema = api.get_openapi_schema(path_prefix="/api")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation.get("parameters", [])


def _api_url(path: str, **values: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m[1], SAMPLE.get(m[1], "B1")), path)


def _paginated(name: str = "page"):
    for path, method, parameters in _operations():
        if method == "get" and any(p["name"] == name for p in parameters):
            yield path


def _api_cases():
    """(method, url): NUL in every parameter of every operation, a huge number in each but
    ``page_size`` (which ninja cuts to the largest size)."""
    for path, method, parameters in _operations():
        for p in parameters:
            if p["in"] == "header":  # Idempotency-Key: kaoping/api/tests/test_idempotency.py
                continue
            for value in ("%00", HUGE):
                if value == HUGE and p["name"] == "page_size":
                    continue
                if p["in"] == "path":
                    url = _api_url(path, **{p["name"]: value})
                else:
                    url = f"{_api_url(path)}?{p['name']}={value}"
                yield method, url


def test_every_paginated_operation_is_found():
    assert {"/api/members", "/api/years/{year}/entries"} <= set(_paginated("cursor"))
    assert {"/api/years/{year}/results"} <= set(_paginated())


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(_paginated("cursor")))
def test_limit_overflow_and_a_forged_cursor_on_every_cursor_operation_are_422(admin_client, path):
    for query in (f"limit={HUGE}", "limit=1001", "limit=0", f"cursor={HUGE}", "cursor=%00"):
        response = admin_client.get(f"{_api_url(path)}?{query}")
        assert response.status_code == 422, (path, query, response.content)
        assert query.split("=")[0] in response.json()["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(_paginated()))
def test_page_overflow_on_every_paginated_operation_is_422(admin_client, path):
    for page in (HUGE, str(PAGE_MAX + 1)):
        response = admin_client.get(f"{_api_url(path)}?page={page}")
        assert response.status_code == 422, (path, response.content)
        assert "page" in response.json()["errors"]
    response = admin_client.get(f"{_api_url(path)}?page={PAGE_MAX}&page_size={HUGE}")
    assert response.status_code == 200, (path, response.content)
    assert response.json()["items"] == []


@pytest.mark.django_db
def test_out_of_range_api_parameter_is_4xx(admin_client):
    got = {}
    for method, url in _api_cases():
        response = getattr(admin_client, method)(url, data={}, content_type="application/json")
        got[f"{method} {url}"] = response.status_code
    assert len(got) > 20
    assert {op: status for op, status in got.items() if status not in (400, 404, 422)} == {}
