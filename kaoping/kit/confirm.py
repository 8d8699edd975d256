"""The confirmation step of an irreversible action (docs/ui.md "Breadcrumbs, toasts,
confirmations, steps"): posted without ``confirm`` it changes nothing and answers
``web/confirm.html`` with its consequences; the same form posted again with ``confirm=1``
does it. A form marked ``data-confirm=""`` shows those consequences in kaoping.js's
dialog first; without JavaScript the page is the step.

``confirm_page`` is that answer. Its form posts again what was posted (``hidden``,
by default every posted field but the CSRF token and ``confirm``), so a decision with a
reason or a choice keeps them."""

from collections.abc import Iterable, Sequence

from django.shortcuts import render

SKIPPED = {"csrfmiddlewaretoken", "confirm"}


def confirmed(request) -> bool:
    """Whether the form came back from its confirmation step (``confirm=1``)."""
    return request.method == "POST" and bool(request.POST.get("confirm"))


def posted_fields(request) -> list[tuple[str, str]]:
    """What was posted, to post again: every value but the token and ``confirm``."""
    return [
        (name, value)
        for name, values in request.POST.lists()
        if name not in SKIPPED
        for value in values
    ]


def confirm_page(
    request,
    *,
    title: str,
    consequences: Sequence[str],
    submit: str,
    back: str,
    action: str | None = None,
    hidden: Iterable[tuple[str, str]] | None = None,
    intro: str = "",
    names: Sequence[str] = (),
    names_label: str = "",
    refusal: str | None = None,
):
    """``web/confirm.html``: what confirming will do, nothing done yet; ``names`` under
    ``names_label`` (the people it concerns); a ``refusal`` says why it cannot be done
    now (no confirm button then)."""
    return render(
        request,
        "web/confirm.html",
        {
            "title": title,
            "intro": intro,
            "consequences": list(consequences),
            "action": action or request.get_full_path(),
            "hidden": posted_fields(request) if hidden is None else list(hidden),
            "submit": submit,
            "back": back,
            "names": names,
            "names_label": names_label,
            "refusal": refusal or "",
        },
    )
