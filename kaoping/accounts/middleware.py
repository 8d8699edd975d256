"""A password given by someone else (an initial password, a reset code) must be changed
before anything else: every page but the change page, logout, the language switch and
static files redirects there; the API answers 403.

The flag is read once, at login, into the session (``MUST_CHANGE_KEY``): no query on every
request. A password set by someone else changes the hash, which ends the user's other
sessions, so the next login reads the flag again."""

from django.utils.translation import gettext as _

from kaoping.api.errors import error_json
from kaoping.kit.shell import StepFirstMiddleware

from .selectors import MUST_CHANGE_KEY


class PasswordChangeRequiredMiddleware(StepFirstMiddleware):
    step_url = "accounts:password_change"
    open_prefixes = ("/static/", "/i18n/")

    def api_refusal(self):
        return error_json(
            403, "password_change_required", _("请先修改初始密码，然后才能使用系统。")
        )

    def blocked(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if not request.session.get(MUST_CHANGE_KEY):
            return False
        return not self.is_open(request.path)
