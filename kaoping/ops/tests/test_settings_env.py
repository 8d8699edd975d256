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


def _settings(**env) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    full |= {"DJANGO_SETTINGS_MODULE": "config.settings.test", **env}
    code = (
        "from django.conf import settings; "
        "print(settings.KAOPING_PASSWORD_MIN_LENGTH, settings.ALLOWED_HOSTS != [], "
        "settings.KAOPING_REQUIRE_2FA_FOR_STAFF)"
    )
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, env=full, timeout=120
    )


def test_values_are_read_and_a_bad_number_is_refused():
    good = _settings(KAOPING_PASSWORD_MIN_LENGTH="12", KAOPING_REQUIRE_2FA_FOR_STAFF="on")
    assert good.stdout.split() == ["12", "True", "True"], good.stderr
    bad = _settings(KAOPING_PASSWORD_MIN_LENGTH="ten")
    assert bad.returncode != 0 and "ValueError" in bad.stderr
