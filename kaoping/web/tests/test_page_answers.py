"""What the pages answer, walked over every page of the access matrix (its data and roles):

- every page has a ``<title>`` of plain text (issue 15, item 19: a missing ``{% endblock %}``
  put a section with a CSRF token into the title of ``/jobs/``), and every template's
  title block holds only text;
- every htmx form (``hx-post``/``hx-put``/``hx-patch``/``hx-delete``) and every htmx load
  (``hx-get``) found on those pages answers htmx with a fragment or an ``HX-Redirect``,
  never a whole page that would nest a second header in the page (item 18).
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.template import engines
from django.template.base import TextNode, VariableNode
from django.template.loader_tags import BlockNode, ExtendsNode
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.urls import reverse

from .test_access_matrix import PAGES, ROLES, _args, _call, _statuses, matrix  # noqa: F401

PROJECT = Path(__file__).resolve().parents[2]
HTMX_WRITE = ("hx-post", "hx-put", "hx-patch", "hx-delete")
SITE_HEADER = '<header class="site"'


class _Page(HTMLParser):
    """The htmx elements of one page, with the hidden fields of each htmx form."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.requests: list[tuple[str, str, dict]] = []  # (method, url, form data)
        self._form: tuple[str, str, dict] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for attr in HTMX_WRITE:
            if a.get(attr):
                method = attr[3:].upper()
                request = (method, a[attr], {})
                self.requests.append(request)
                if tag == "form":
                    self._form = request
        if a.get("hx-get"):
            self.requests.append(("GET", a["hx-get"], {}))
        if tag == "input" and self._form and a.get("type") == "hidden" and a.get("name"):
            self._form[2][a["name"]] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


@dataclass
class Seen:
    name: str
    role: str
    url: str
    text: str
    templates: set[str] = field(default_factory=set)
    page: _Page = field(default_factory=_Page)


@pytest.fixture(scope="module")
def walked(matrix):  # noqa: F811
    """Every page GET as every role that may see it (expected 200 in the matrix)."""
    seen = []
    for _key, row in sorted(PAGES.items()):
        if row.method != "GET":
            continue
        name = row.target
        url = reverse(name, kwargs=_args(row.args, matrix.b1))
        for role, want in zip(ROLES, _statuses(row.statuses), strict=True):
            if want != "200":
                continue
            response, text = _call(matrix, role, "GET", url)
            if "text/html" not in response.get("Content-Type", ""):
                continue
            item = Seen(name, role, url, text, {t.name for t in response.templates if t.name})
            item.page.feed(text)
            seen.append(item)
    return seen


def _is_whole_page(text: str) -> bool:
    return bool(re.search(r"<html[\s>]", text, re.IGNORECASE)) or SITE_HEADER in text


# --------------------------------------------------------------------------- item 19


@pytest.mark.django_db
def test_every_page_has_a_plain_title(walked):
    problems = []
    pages = [s for s in walked if _is_whole_page(s.text)]
    assert len(pages) > 100, "the walk reached too few pages to mean anything"
    for s in pages:
        # as the browser reads it: everything up to </title> is the title (RCDATA)
        titles = re.findall(r"<title[^>]*>(.*?)</title>", s.text.split("</head>")[0], re.S)
        if len(titles) != 1:
            problems.append(f"{s.name} as {s.role}: {len(titles)} <title> elements")
            continue
        title = " ".join(titles[0].split())
        bad = [m for m in ("<", ">", "{%", "{{", "csrf") if m in title.lower()]
        if not title.strip(" ·") or bad:
            problems.append(f"{s.name} as {s.role}: title {title[:120]!r}")
    assert not problems, "\n".join(problems)


def _templates() -> list[tuple[str, Path]]:
    engine = engines["django"]
    out = []
    for loader in engine.engine.template_loaders:
        for directory in loader.get_dirs():
            root = Path(directory)
            if not root.is_relative_to(PROJECT):  # Django's own (admin) are not ours
                continue
            out += [(str(p.relative_to(root)), p) for p in sorted(root.rglob("*.html"))]
    return out


def _blocks(nodelist):
    for node in nodelist:
        if isinstance(node, BlockNode):
            yield node
        for attr in node.child_nodelists:
            yield from _blocks(getattr(node, attr, None) or [])


PLAIN_NODES = (TextNode, VariableNode, TranslateNode, BlockTranslateNode)


def test_every_title_block_is_closed_and_plain():
    """Parsed by Django: the title block of a template that extends another holds only
    text, variables and translations (no tags, no markup, no nested block), so a missing
    ``{% endblock %}`` cannot swallow the page."""
    engine = engines["django"].engine
    checked, problems = 0, []
    for name, path in _templates():
        template = engine.from_string(path.read_text(encoding="utf-8"))
        if not template.nodelist or not isinstance(template.nodelist[0], ExtendsNode):
            continue
        for block in _blocks(template.nodelist):
            if block.name != "title":
                continue
            checked += 1
            for node in block.nodelist:
                if not isinstance(node, PLAIN_NODES) or (
                    isinstance(node, TextNode) and ("<" in node.s or ">" in node.s)
                ):
                    problems.append(f"{name}: {type(node).__name__} in the title block")
                    break
    assert checked > 30
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- item 18


def _htmx_requests(walked):
    """(role, method, url, data, where) of every htmx element on every walked page."""
    found = {}
    for s in walked:
        for method, url, data in s.page.requests:
            found.setdefault((s.role, method, url), (data, s.name))
    return found


@pytest.mark.django_db
def test_every_htmx_request_answers_a_fragment_or_a_redirect(walked, matrix):  # noqa: F811
    requests = _htmx_requests(walked)
    writes = {key for key in requests if key[1] != "GET"}
    assert len(writes) >= 10, f"too few htmx forms found: {sorted(writes)}"
    problems = []
    for (role, method, url), (data, where) in sorted(requests.items()):
        client = matrix.clients[(role, False)]
        cookies = client.cookies
        client.cookies = cookies.__class__(cookies)
        try:
            with transaction.atomic():
                response = client.generic(
                    method,
                    url,
                    urlencode(data),
                    content_type="application/x-www-form-urlencoded",
                    headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{url}"},
                )
                transaction.set_rollback(True)
        finally:
            client.cookies = cookies
        label = f"{method} {url} as {role} (from {where})"
        if response.status_code >= 500:
            problems.append(f"{label}: {response.status_code}")
        elif 300 <= response.status_code < 400:
            problems.append(f"{label}: a {response.status_code} redirect (htmx would follow it)")
        elif response.has_header("HX-Redirect") or response.streaming:
            continue
        elif _is_whole_page(response.content.decode("utf-8", errors="replace")):
            problems.append(f"{label}: a whole page (second header) into the target")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_walk_reaches_every_htmx_template(walked):
    """Every template with an htmx form is rendered on some walked page that shows an htmx
    form, so the test above submits it (a new one unreached by the matrix fails here)."""
    with_htmx = {
        name
        for name, path in _templates()
        if any(f"{attr}=" in path.read_text(encoding="utf-8") for attr in HTMX_WRITE)
    }
    reached = set()
    for s in walked:
        if any(method != "GET" for method, _url, _data in s.page.requests):
            reached |= s.templates
    assert with_htmx, "no htmx form template found: the walk checks nothing"
    assert with_htmx <= reached, f"htmx form templates no page reaches: {with_htmx - reached}"


@pytest.mark.django_db
def test_the_named_forms_are_among_those_submitted(walked):
    """The forms of the issue: an appeal, a secretary comment, a peer comment."""
    urls = {url for (_role, method, url) in _htmx_requests(walked) if method == "POST"}
    for name, kwargs in (
        ("publication:appeal_new", {"year": 2026}),
        ("evaluation:comment", {"code": "B1", "year": 2026, "member_code": "M1"}),
        ("evaluation:peer", {"year": 2026, "member_code": "M1B"}),
    ):
        assert reverse(name, kwargs=kwargs) in urls, name
