"""Settings read through django-environ: same names, same defaults, same refusals."""

import os
import subprocess  # noqa: S404
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.environment import Env


def test_casts_defaults_and_no_dollar_indirection(monkeypatch):
    env = Env()
    env.ENVIRON = {"N": "12", "L": "a,,b", "T": "yes", "K": "$OTHER", "OTHER": "no"}
    assert env.int("N", default=3) == 12 and env.int("M", default=3) == 3
    assert env.list("L") == ["a", "b"] and env.bool("T") is True
    assert env.bool("U", default=False) is False
    assert env.str("K") == "$OTHER"  # a key starting with $ is read as written
    with pytest.raises(ImproperlyConfigured, match="Set the X environment variable"):
        env.str("X")


DEFAULT_READ = (
    "settings.KAOPING_PASSWORD_MIN_LENGTH, settings.ALLOWED_HOSTS != [], "
    "settings.KAOPING_REQUIRE_2FA_FOR_STAFF"
)


def _settings(read: str = DEFAULT_READ, **env) -> subprocess.CompletedProcess:
    """Print the settings named in ``read`` as a fresh process with ``env`` sees them."""
    full = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    full |= {"DJANGO_SETTINGS_MODULE": "config.settings.test", **env}
    code = f"from django.conf import settings; print({read})"
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, env=full, timeout=120
    )


def test_values_are_read_and_a_bad_number_is_refused():
    good = _settings(KAOPING_PASSWORD_MIN_LENGTH="12", KAOPING_REQUIRE_2FA_FOR_STAFF="on")
    assert good.stdout.split() == ["12", "True", "True"], good.stderr
    bad = _settings(KAOPING_PASSWORD_MIN_LENGTH="ten")
    assert bad.returncode != 0 and "ValueError" in bad.stderr


def test_email_url_becomes_the_mail_settings():
    """KAOPING_EMAIL_URL (docs/notifications.md): smtps is STARTTLS, user and password
    URL-encoded; quiet hours default to 22:00-07:00."""
    read = (
        "settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER, "
        "settings.EMAIL_HOST_PASSWORD, settings.EMAIL_USE_TLS, settings.DEFAULT_FROM_EMAIL, "
        "settings.KAOPING_EMAIL_RESET, settings.KAOPING_QUIET_HOURS"
    )
    url = "smtps://kaoping%40example.org:p%40ss@mail.example.org:587"
    done = _settings(read, KAOPING_EMAIL_URL=url, KAOPING_QUIET_HOURS="22:00-07:00")
    assert done.stdout.split() == [
        "mail.example.org",
        "587",
        "kaoping@example.org",
        "p@ss",
        "True",
        "kaoping@example.org",
        "True",
        "22:00-07:00",
    ], done.stderr
