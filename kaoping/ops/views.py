"""Probes for load balancers and orchestrators: JSON, no login, no session, no data.

/healthz says the process answers (no database: a database outage must not make the
orchestrator restart every app server). /readyz says this server can take traffic.
"""

import logging

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from . import probes

logger = logging.getLogger(__name__)


def _answer(body: dict, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@csrf_exempt
@never_cache
@require_safe  # GET and HEAD: some load balancers probe with HEAD
def healthz(request: HttpRequest) -> JsonResponse:
    return _answer({"status": "ok"}, 200)


@csrf_exempt
@never_cache
@require_safe  # GET and HEAD: some load balancers probe with HEAD
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {}
    for name, check in probes.CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure means "not ready"; the log says which
            logger.warning("readiness check %s failed: %s", name, type(exc).__name__)
            checks[name] = "fail"
        else:
            checks[name] = "ok"
    ready = all(v == "ok" for v in checks.values())
    response = _answer(
        {"status": "ok" if ready else "fail", "checks": checks}, 200 if ready else 503
    )
    # Logged above, once a failed check; not again as a server error on every probe.
    response._has_been_logged = True  # noqa: SLF001 - Django's own flag (django.utils.log)
    return response
