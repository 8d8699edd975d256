"""The installable web app (PWA): the manifest, the service worker and its offline page.

The worker caches only the shell (styles, scripts, icons, the offline page): pages with a
person's data are never stored on the device, so a shared office computer keeps none.
"""

import functools
import hashlib

from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# What the worker keeps for offline use: the shell every page needs.
SHELL = (
    "vendor/tabler/tabler.min.css",
    "vendor/tom-select/tom-select.bootstrap5.min.css",
    "web/kaoping.css",
    "vendor/htmx.min.js",
    "vendor/tom-select/tom-select.complete.min.js",
    "web/kaoping.js",
    "web/icons/icon-192.png",
)


@functools.cache
def _shell_version() -> str:
    """Changes whenever a shell file changes, so browsers install the new worker; read
    once per process (the files change only with a deployment, which restarts it)."""
    digest = hashlib.sha256()
    for name in SHELL:
        path = finders.find(name)
        digest.update(name.encode())
        if path:
            with open(path, "rb") as f:
                digest.update(f.read())
    return digest.hexdigest()[:16]


@require_safe
@cache_control(max_age=3600)
def manifest(request):
    icons = [
        {
            "src": static(f"web/icons/icon-{size}{suffix}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }
        for size in (192, 512)
        for suffix, purpose in (("", "any"), ("-maskable", "maskable"))
    ]
    data = {
        "name": _("党员日常管理量化考评"),
        "short_name": _("考评"),
        "lang": "zh-Hans",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f6f4",
        "theme_color": "#b01c1c",
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_safe
@cache_control(no_cache=True)
def service_worker(request):
    body = render(
        request,
        "web/sw.js",
        {"version": _shell_version(), "shell": [static(n) for n in SHELL]},
        content_type="text/javascript",
    ).content
    return HttpResponse(body, content_type="text/javascript; charset=utf-8")


@require_safe
def offline(request):
    """Shown by the service worker when the network is gone; no personal data in it."""
    return render(request, "web/offline.html")
