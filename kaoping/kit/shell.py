"""The installable web app's own files, which every visitor may fetch."""

from django.urls import reverse


def app_shell_paths() -> tuple[str, ...]:
    """The manifest, the service worker and the offline page: no data of anyone, open even
    to a person who must first change their password or pass two-factor (the browser
    fetches them on its own and cannot follow those redirects)."""
    return (reverse("web:manifest"), reverse("web:service_worker"), reverse("web:offline"))
