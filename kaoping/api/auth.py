"""Authentication of API requests: bearer tokens for programs, the session for browsers.

Bearer comes first: a request that carries a token is judged by the token alone (a wrong
or revoked token is a 401, never a fall back to the session). A request without one is
authenticated by its session, and then - being cookie-based - must pass Django's CSRF
check on unsafe methods.
"""

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from .selectors import user_for_token


class AuthedRequest(HttpRequest):
    """The request an endpoint gets once authentication let it in: ninja sets ``auth`` to
    the signed-in user (this class only tells the type checker so)."""

    auth: User


class ApiTokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest):
        header = request.headers.get(self.header)
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            raise AuthenticationError()
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is None:
            raise AuthenticationError()
        request.user = user
        return user


class CsrfSessionAuth(SessionAuth):
    """ninja's ``django_auth`` (session cookie, CSRF enforced), asked only when the
    session is signed in, so an anonymous request is a 401 rather than a CSRF 403."""

    def __call__(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


api_token_auth = ApiTokenAuth()
session_auth = CsrfSessionAuth(csrf=True)
