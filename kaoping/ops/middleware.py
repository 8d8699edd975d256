"""Two middlewares that run before every other one (config/settings/base.py MIDDLEWARE)."""

import re
import uuid

import structlog
from django.http import HttpRequest, HttpResponse

from . import views

# An id a proxy may hand us (nginx's $request_id is 32 hex digits, others use UUIDs):
# short, and only characters that cannot forge a log line or a header.
INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
HEADER = "X-Request-ID"
PROBES = {"/healthz": views.healthz, "/readyz": views.readyz}


class ProbeMiddleware:
    """The probes answer before anything else runs: no HTTPS redirect (a load balancer
    probes over plain HTTP), no host check (it probes by address), no session, no locale,
    no 2FA or forced password change, no request log line every few seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = PROBES.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)


class RequestIdMiddleware:
    """Gives the request an id: a sane one from the proxy (X-Request-ID), else a new one.
    Every log line of the request carries it (structlog's context, bound again by
    django-structlog's middleware, which reads the cleaned header) and so does the answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.META["HTTP_X_REQUEST_ID"] = request_id
        request.request_id = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        response = self.get_response(request)
        # django-structlog clears the context when it has logged the answer, but Django
        # logs a 4xx/5xx after the last middleware: bind the id again for that line; the
        # end of the request clears it (apps.py, request_finished).
        structlog.contextvars.bind_contextvars(request_id=request_id)
        response[HEADER] = request_id
        return response
