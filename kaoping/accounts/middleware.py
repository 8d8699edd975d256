"""A password given by someone else (an initial password, a reset code) must be changed
before anything else: every page but the change page, logout, the language switch and
static files redirects there; the API answers 403.

The flag is read once, at login, into the session (``MUST_CHANGE_KEY``): no query on every
request. A password set by someone else changes the hash, which ends the user's other
sessions, so the next login reads the flag again."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from kaoping.api.errors import error_json
from kaoping.kit.shell import app_shell_paths

from .selectors import MUST_CHANGE_KEY


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._blocked(request):
            if request.path.startswith("/api/"):
                return error_json(
                    403, "password_change_required", _("请先修改初始密码，然后才能使用系统。")
                )
            # An htmx request gets HX-Redirect from HtmxAnswerMiddleware (kaoping/kit/answers.py).
            return redirect("accounts:password_change")
        return self.get_response(request)

    @staticmethod
    def _blocked(request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if not request.session.get(MUST_CHANGE_KEY):
            return False
        path = request.path
        open_paths = (
            reverse("accounts:password_change"),
            reverse("web:logout"),
            reverse("set_language"),
            *app_shell_paths(),
        )
        return not (path in open_paths or path.startswith(("/static/", "/i18n/")))
