"""Chinese first: the browser's Accept-Language does not switch the language of a page;
only the user's explicit choice (the language cookie set by the switch in the header) does.
The API is the exception: a program asks for its messages' language by ``Accept-Language``
(``en``; Chinese otherwise), as docs/api.md says."""

from django.conf import settings
from django.utils.translation import gettext as _

from kaoping.api.errors import error_json, is_api
from kaoping.api.selectors import user_for_token
from kaoping.kit.shell import StepFirstMiddleware

from .selectors import two_factor_required


class ChineseFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api(request):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class TwoFactorRequiredMiddleware(StepFirstMiddleware):
    """With ``KAOPING_REQUIRE_2FA_FOR_STAFF``, a staff session that has not passed a token
    reaches only the two-factor page (to enrol or verify), logout and the language switch.
    An API call authenticated by a valid bearer token is not concerned (the token, not the
    session, is its credential); any other ``Authorization`` header (empty, Basic, a wrong
    token, or a token sent to a page, which the session serves) changes nothing."""

    step_url = "web:two_factor"

    def api_refusal(self):
        return error_json(403, "two_factor_required", _("请先完成两步验证（在网页上登录一次）。"))

    def blocked(self, request) -> bool:
        if not settings.KAOPING_REQUIRE_2FA_FOR_STAFF:
            return False
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return False
        if _bearer_api_call(request) or self.is_open(request.path):
            return False
        return two_factor_required(user)


def _bearer_api_call(request) -> bool:
    """An /api/ request whose bearer token belongs to an active user: the API's auth
    (``api/auth.py``) will serve it as that user and ignore the session."""
    if not request.path.startswith("/api/"):
        return False
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    token = raw.strip()
    return scheme.lower() == "bearer" and bool(token) and user_for_token(token) is not None
