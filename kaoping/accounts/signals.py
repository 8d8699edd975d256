"""Sign-ins recorded for the user to see on /account/ (time, address, success, method)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .selectors import MUST_CHANGE_KEY, must_change_password
from .services.sign_ins import sign_in_record

# The method a backend stands for; a request may name its own (reset code).
BACKEND_METHODS = {
    "django.contrib.auth.backends.ModelBackend": "password",
    "axes.backends.AxesStandaloneBackend": "password",
    "kaoping.accounts.directory.DirectoryBackend": "ldap",
}


def _method(request, user=None) -> str:
    named = getattr(request, "kaoping_sign_in_method", None)
    if named:
        return named
    backend = getattr(user, "backend", "") or ""
    if backend in BACKEND_METHODS:
        return BACKEND_METHODS[backend]
    if "ldap" in backend.lower():
        return "ldap"
    return "password"


@receiver(user_logged_in, dispatch_uid="kaoping_sign_in_ok")
def sign_in_succeeded(sender, request, user, **kwargs):
    if request is None:
        return
    method = _method(request, user)
    # The directory owns the password of a directory sign-in: nothing local to change.
    if method != "ldap" and hasattr(request, "session") and must_change_password(user):
        request.session[MUST_CHANGE_KEY] = True
    sign_in_record(user=user, request=request, succeeded=True, method=method)


@receiver(user_login_failed, dispatch_uid="kaoping_sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username")
    if request is None or not isinstance(username, str) or not username:
        return
    user = get_user_model()._default_manager.filter(username=username[:150]).first()
    if user is None:
        return
    sign_in_record(user=user, request=request, succeeded=False, method=_method(request))
