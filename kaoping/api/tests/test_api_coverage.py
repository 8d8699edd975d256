"""Every page action that writes is in the API, or visibly not yet (issue 20).

The write views are found from the URL resolver: a view whose ``require_http_methods`` /
``require_POST`` allows POST, or a class-based view with a ``post``. Each must be in the
table "Page action → API operation" of docs/api.md with an operation id that exists in
the OpenAPI document, or in ``NOT_YET`` below (the gap: it may only shrink; a name that no
longer needs to be here fails the test), or in ``PAGE_ONLY`` (what a program never does
through the API, each with its reason)."""

import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

from kaoping.api.api import api

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"
ROW = re.compile(r"^\| `([\w:]+)` \| `(\w+)` \|$")

# Signing in and out, and the credentials of the API itself, are the browser's.
PAGE_ONLY = {
    "web:login": "a session is the browser's; programs use a token",
    "web:logout": "a session is the browser's",
    "web:two_factor": "the authenticator is enrolled and checked by a person",
    "api_tokens:tokens": "a token is made by a person, once, on their own account",
    "api_tokens:token_revoke": "likewise revoked by a person (or the admin)",
    "accounts:password_change": "a person changes their own password",
    "accounts:reset_code_redeem": "a person without a login redeems their code",
    "accounts:password_reset": "a person asks for a reset e-mail, signed out",
    "accounts:password_reset_confirm": "a person follows their reset e-mail's link",
    "evaluation:vote_code": "the meeting room's paper code is typed on its page, which "
    "needs no login (a program has a login: it casts with my_ballot_cast)",
    "evaluation:receipt": "the voter checks their own receipt",
    "accounts:slips_pdf": "the printed slips are the page's way to hand out what "
    "accounts_issue answers a program directly: the initial passwords, once",
    "accounts:slips_xlsx": "likewise, as a spreadsheet",
    "onboarding:committee": "the guided first start; a program uses organization_create",
    "onboarding:branch": "the guided first start; a program uses organization_create",
    "onboarding:scheme": "the guided first start; a program uses scheme_create",
    "onboarding:username_rule": "the guided first start; a program uses accounts_username_rule",
}

# Page actions the API does not offer yet (issue 20's per-workflow endpoints): remove a
# name when its operation is added to docs/api.md's table.
NOT_YET: set[str] = set()  # empty since issue 20; a new write view goes in the table


def _patterns(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = namespace + (f"{p.namespace}:" if p.namespace else "")
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (namespace + p.name) if p.name else None, p.callback


def _allowed_methods(view) -> set[str] | None:
    """The methods a ``require_http_methods`` decorator lets through, found in its
    closure along the ``__wrapped__`` chain; None when there is none."""
    seen = set()
    while view is not None and id(view) not in seen:
        seen.add(id(view))
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = view.__closure__[code.co_freevars.index("request_method_list")]
            return set(cell.cell_contents)
        view = getattr(view, "__wrapped__", None)
    return None


def write_views() -> dict[str, str]:
    """URL name → route of every page view that accepts POST (the admin and the API's own
    routes aside)."""
    found = {}
    for route, name, view in _patterns(get_resolver().url_patterns):
        if route.startswith(("admin/", "api/")):
            continue
        methods = _allowed_methods(view)
        view_class = getattr(view, "view_class", None)
        if (methods and "POST" in methods) or (view_class and hasattr(view_class, "post")):
            assert name, f"a write view without a URL name: {route}"
            found[name] = route
    return found


def doc_table() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Page action → API operation", 1)[1]
    return dict(m.groups() for line in section.splitlines() if (m := ROW.match(line.strip())))


def operation_ids() -> set[str]:
    schema = api.get_openapi_schema(path_prefix="")
    return {op["operationId"] for ops in schema["paths"].values() for op in ops.values()}


def test_the_walk_finds_the_write_views():
    views = write_views()
    assert len(views) > 50
    assert {"web:entry_create", "meetings:close", "web:login"} <= set(views)


def test_every_write_view_is_in_the_api_or_visibly_not_yet():
    views, table = write_views(), doc_table()
    assert table, "docs/api.md has no table of page actions"
    missing = sorted(set(views) - set(table) - NOT_YET - set(PAGE_ONLY))
    assert not missing, (
        "page actions neither in docs/api.md's table nor in NOT_YET/PAGE_ONLY: "
        f"{[(n, views[n]) for n in missing]}"
    )


def test_the_table_names_existing_views_and_operations():
    views, table, ids = write_views(), doc_table(), operation_ids()
    assert not sorted(set(table) - set(views)), "the table names a page action that is gone"
    unknown = {view: op for view, op in table.items() if op not in ids}
    assert not unknown, f"operations not in the OpenAPI document: {unknown}"


def test_the_lists_only_shrink():
    views, table = write_views(), doc_table()
    stale = sorted((NOT_YET | set(PAGE_ONLY)) - set(views))
    assert not stale, f"NOT_YET/PAGE_ONLY name views that no longer exist: {stale}"
    both = sorted((NOT_YET | set(PAGE_ONLY)) & set(table))
    assert not both, f"in the API now, remove from NOT_YET/PAGE_ONLY: {both}"
    assert not NOT_YET & set(PAGE_ONLY)
