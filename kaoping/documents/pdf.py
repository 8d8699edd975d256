"""Archival PDFs (存档 PDF) rendered on the server with WeasyPrint: A4, the organisation
and year in the header, page numbers, every font embedded (Debian's Noto CJK through
fontconfig) and PDF/A-3b, so the file is the same on every machine and needs no browser.

The HTML is our own template with autoescaped fields. Nothing is fetched from outside (a
document must not reach the network, and the intranet has none): a print page's
stylesheets under ``/static/`` are read from the project's own static files, every other
address is refused."""

import threading
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_VARIANT = "pdf/a-3b"
# Relative addresses in a page (``/static/…``) resolve against this host, never contacted.
BASE_URL = "https://kaoping.invalid/"


class StaticOnlyFetcher(URLFetcher):
    """Serves ``/static/…`` from the project's static files; refuses every other address
    (``data:`` URLs, which hold their content, are WeasyPrint's own to read)."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if (
            parts.netloc != "kaoping.invalid"
            or not parts.path.startswith(prefix)
            or ".." in parts.path.split("/")
        ):
            raise ValueError(f"documents fetch nothing outside: {url[:80]}")
        found = finders.find(parts.path[len(prefix) :])
        if not found or not isinstance(found, str):
            raise ValueError(f"no such static file: {parts.path[:80]}")
        with open(found, "rb") as file:  # noqa: PTH123 - a static file the finders chose
            body = file.read()
        content_type = "text/css" if found.endswith(".css") else "application/octet-stream"
        return URLFetcherResponse(url, body, headers={"Content-Type": content_type})


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes and line ends escaped)."""
    escaped = "".join(
        ch if ch.isprintable() and ch not in '"\\' else f"\\{ord(ch):x} " for ch in text
    )
    return f'"{escaped}"'


_local = threading.local()


def _font_config() -> FontConfiguration:
    """One font configuration per thread, kept: a new one per PDF (WeasyPrint's default)
    loads the CJK fonts again each time, and the process grows with every document (a
    year's archives for 300 branches). Not shared across threads: it is not thread-safe."""
    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


def html_to_pdf(html: str, *, header: str | None = None) -> bytes:
    """``html`` as an archival PDF; ``header`` (e.g. the organisation and year) runs at
    the top of every page, for print pages that have none of their own."""
    stylesheets = []
    if header:
        rule = "@page { @top-center { content: CONTENT; font-size: 9pt; color: #555; } }"
        stylesheets.append(CSS(string=rule.replace("CONTENT", _css_string(header))))
    return HTML(
        string=html,
        base_url=BASE_URL,
        url_fetcher=StaticOnlyFetcher(allowed_protocols={"data", "https"}),
    ).write_pdf(pdf_variant=PDF_VARIANT, stylesheets=stylesheets, font_config=_font_config())
