"""Authentication of API requests: bearer tokens for programs, the session for browsers.

Bearer comes first: a request that carries a token is judged by the token alone (a wrong
or revoked token is a 401, never a fall back to the session). A request without one is
authenticated by its session, and then - being cookie-based - must pass Django's CSRF
check on unsafe methods. A read-only token is refused on any write (403
``read_only_token``). Each client is throttled (``KAOPING_API_RATE``): a token by itself,
a session by its user.
"""

import ipaddress

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import AuthRateThrottle

from .errors import ApiError
from .selectors import token_for_raw, token_touch

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class AuthedRequest(HttpRequest):
    """The request an endpoint gets once authentication let it in: ninja sets ``auth`` to
    the signed-in user (this class only tells the type checker so)."""

    auth: User


def _client_ip(request: HttpRequest) -> str | None:
    """The peer's address as the server sees it (behind nginx, REMOTE_ADDR is what the
    deployment's proxy settings make it); ``None`` if it is not an address."""
    raw = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


class ApiTokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest):
        header = request.headers.get(self.header)
        if not header:
            return None
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            raise AuthenticationError()
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str):
        record = token_for_raw(token)
        if record is None:
            raise AuthenticationError()
        token_touch(record, _client_ip(request))
        if record.read_only and request.method not in SAFE_METHODS:
            raise ApiError(
                403,
                "read_only_token",
                _("这个 API 令牌是只读的，不能用于写入。"),
            )
        request.user = record.user
        setattr(request, "api_token", record)  # noqa: B010 - the throttle's key
        return record.user


class CsrfSessionAuth(SessionAuth):
    """ninja's ``django_auth`` (session cookie, CSRF enforced), asked only when the
    session is signed in, so an anonymous request is a 401 rather than a CSRF 403."""

    def __call__(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


class ClientRateThrottle(AuthRateThrottle):
    """At most ``KAOPING_API_RATE`` requests (e.g. ``"600/min"``; ``None``: unlimited) per
    token, or per user for a session; the rate is read on each request, so a change of
    the setting applies at once. Over it: 429 ``throttled`` with ``Retry-After``."""

    scope = "kaoping_api"

    def __init__(self) -> None:
        self.rate = None
        self.num_requests, self.duration = None, None

    def allow_request(self, request: HttpRequest) -> bool:
        rate = getattr(settings, "KAOPING_API_RATE", None)
        if not rate:
            return True
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str:
        token = getattr(request, "api_token", None)
        if token is not None:
            ident = f"token-{token.pk}"
        elif getattr(request, "auth", None) is not None:
            ident = f"user-{request.auth.pk}"  # type: ignore[attr-defined]
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


api_token_auth = ApiTokenAuth()
session_auth = CsrfSessionAuth(csrf=True)
