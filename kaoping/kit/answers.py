"""How a page answers a form, the same in every app.

A form posted by htmx (``hx-post`` with a target) swaps the answer into that target, so
the answer must never be a whole page: that nests a second header and menu inside the
page while the address bar stays on the old page (issue 15, item 18). The rules:

- success: ``form_done`` — a message, then a redirect; to htmx an ``HX-Redirect`` (the
  browser goes there itself), never a 302 that the XHR would follow into the target;
- a form with errors: ``form_answer`` — the form fragment alone to htmx, the whole page
  otherwise;
- everything else: ``HtmxAnswerMiddleware`` turns any redirect answered to htmx into an
  ``HX-Redirect`` and, as a last safety net, sends a whole page to the body instead of the
  target (and logs it: a view that does this should answer a fragment).
"""

import logging
import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

from .forms import errors_on

logger = logging.getLogger(__name__)

FORM_PAGE = "web/form_page.html"
FORM_FRAGMENT = "web/_form.html"
# A whole page: the base layout's document element (a fragment never has one).
WHOLE_PAGE = re.compile(rb"<html[\s>]", re.IGNORECASE)


def swaps_into_target(request) -> bool:
    """An htmx request whose answer goes into a part of the page (not a boosted link or
    form, nor a history restore, which expect a whole page)."""
    htmx = getattr(request, "htmx", None)
    if htmx is not None:
        return bool(htmx) and not htmx.boosted and not htmx.history_restore_request
    meta = request.META
    return (
        meta.get("HTTP_HX_REQUEST") == "true"
        and meta.get("HTTP_HX_BOOSTED") != "true"
        and meta.get("HTTP_HX_HISTORY_RESTORE_REQUEST") != "true"
    )


def form_done(request, url: str, message: str | None = None):
    """After a successful write: a message, then to ``url`` (htmx: the browser goes)."""
    if message:
        messages.success(request, message)
    if swaps_into_target(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def form_saved(request, form, save: Callable[[dict[str, Any]], tuple[str, str | None]]):
    """A posted ``form``, valid, saved: ``save(cleaned_data)`` calls the service and says
    where to go and what to tell (``form_done``). ``None`` when nothing was posted, the
    form is invalid or the service refused (its errors are then on the form): the view
    shows its page again."""
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            return form_done(request, *save(form.cleaned_data))
    return None


def frozen_refusal(request, notice: str | None, url: str):
    """A form posted from a page older than the year's finalisation: the ``notice`` at the
    top of ``url``; ``None`` when there is no notice (the year is open)."""
    if notice is None:
        return None
    messages.error(request, notice)
    return redirect(url)


def form_answer(
    request,
    context: dict,
    *,
    page: str = FORM_PAGE,
    fragment: str = FORM_FRAGMENT,
    status: int = 200,
):
    """A form shown (again): only ``fragment`` when htmx swaps it into the page, else
    ``page`` (which includes the same fragment)."""
    template = fragment if swaps_into_target(request) else page
    return render(request, template, context, status=status)


def form_page(
    request, *, title: str, form, action: str, back: str, submit: str, status: int = 200, **extra
):
    """A form on its own page, or only the form when htmx loads it into a page."""
    context = {
        "title": title,
        "form": form,
        "action": action,
        "back": back,
        "submit": submit,
        **extra,
    }
    return form_answer(request, context, status=status)


def form_page_again(request, template: str, context: dict):
    """A page with a form: at first (200), or again after its post was refused (400)."""
    status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)


def next_url(request, default: str) -> str:
    """Where to go after a form: its ``next`` when that is on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class HtmxAnswerMiddleware:
    """The net under every view: what htmx puts into a target is never a whole page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not swaps_into_target(request):
            return response
        if 300 <= response.status_code < 400 and response.has_header("Location"):
            # The XHR would follow the redirect and paint the next page into the target.
            response["HX-Redirect"] = response["Location"]
            del response["Location"]
            response.status_code = 200
            return response
        if self._whole_page(response):
            logger.warning(
                "htmx %s %s answered a whole page; sent to the body instead of the target",
                request.method,
                request.path,
            )
            response["HX-Retarget"] = "body"
            response["HX-Reswap"] = "innerHTML"
        return response

    @staticmethod
    def _whole_page(response) -> bool:
        if response.streaming or "text/html" not in response.get("Content-Type", ""):
            return False
        return WHOLE_PAGE.search(response.content[:4096]) is not None
