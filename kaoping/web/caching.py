"""Cached bodies of the busiest pages (the branch page, the member page).

A body is rendered once per results stamp (``kaoping.scoring.selectors.results_stamps``,
changed by database triggers whenever anything it shows changes) and per everything
else it depends on, which the caller lists in the key: who may manage, who is looking
when that matters, the language, the path (links carry it back). The header, the
navigation and the messages stay outside and are rendered on every request. The body's
CSRF tokens are per session, so the cached HTML holds a placeholder that each request
fills with its own token.

Stored in ``kaoping.scoring.stamped_cache`` (this process's LRU, then the shared cache)."""

import hashlib

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from kaoping.scoring import stamped_cache

_SLOT = "kp-csrf-slot"
# What ``{% csrf_token %}`` renders for the placeholder. Page content cannot produce it:
# its quotes would be escaped.
_SLOT_INPUT = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', _SLOT)


def _csrf_input(request) -> str:
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )


def scope_key(scope) -> str:
    """A viewer's scope (roles, paths, member) as a stable part of a key: the same in
    every worker process (a frozenset's order is not)."""
    return repr(
        (
            scope.everything,
            sorted(scope.roles),
            scope.read_paths,
            scope.manage_paths,
            scope.admin_paths,
            scope.member_id,
        )
    )


def page_body(request, *, template: str, key: list, context) -> SafeString:
    """``template`` rendered with ``context()``, or the same HTML from the cache.

    ``key`` must hold everything the body depends on besides the language and the path
    (a results stamp for the data). Inside a transaction nothing is cached (see
    ``results_cache_usable``)."""
    if not stamped_cache.usable():
        return mark_safe(render_to_string(template, context(), request=request))  # noqa: S308
    parts = "|".join(str(p) for p in [template, *key, get_language(), request.get_full_path()])
    cache_key = "kp:page:" + hashlib.sha256(parts.encode()).hexdigest()
    html = stamped_cache.get_many([cache_key]).get(cache_key)
    if html is None:
        html = render_to_string(template, {**context(), "csrf_token": _SLOT}, request=request)
        stamped_cache.set_many({cache_key: html})
    # Rendered by our own templates (autoescaped); only the placeholder is replaced.
    return mark_safe(html.replace(_SLOT_INPUT, _csrf_input(request)))  # noqa: S308
