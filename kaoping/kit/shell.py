"""The installable web app's own files, which every visitor may fetch, and the pages a
person who must first take a step (``StepFirstMiddleware``) may still reach."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


def app_shell_paths() -> tuple[str, ...]:
    """The manifest, the service worker and the offline page: no data of anyone, open even
    to a person who must first change their password or pass two-factor (the browser
    fetches them on its own and cannot follow those redirects)."""
    return (reverse("web:manifest"), reverse("web:service_worker"), reverse("web:offline"))


class StepFirstMiddleware:
    """A signed-in person who must take one step before anything else (change a password
    someone else gave, pass two-factor): every other page redirects to the step's page
    (``step_url``, a URL name; to htmx an ``HX-Redirect`` from ``HtmxAnswerMiddleware``),
    and the API answers ``api_refusal`` (a 403). The step's page, logout, the language
    switch, static files and the app shell stay open. A subclass says who is ``blocked``
    and how the API refuses."""

    step_url: str
    open_prefixes: tuple[str, ...] = ("/static/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.blocked(request):
            if request.path.startswith("/api/"):
                return self.api_refusal()
            return redirect(self.step_url)
        return self.get_response(request)

    def blocked(self, request) -> bool:
        raise NotImplementedError

    def api_refusal(self) -> HttpResponse:
        raise NotImplementedError

    def is_open(self, path: str) -> bool:
        """The pages a blocked person may still reach."""
        open_paths = (
            reverse(self.step_url),
            reverse("web:logout"),
            reverse("set_language"),
            *app_shell_paths(),
        )
        return path in open_paths or path.startswith(self.open_prefixes)
