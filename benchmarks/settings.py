"""Settings for the benchmarks: the production settings with fixed, non-secret keys and
plain HTTP on loopback (gunicorn is reached directly, without a TLS proxy)."""

import os

os.environ.setdefault("KAOPING_SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("KAOPING_LEDGER_KEY", "bench-ledger-key")
os.environ.setdefault("KAOPING_SLIP_KEY", "bench-slip-key")
os.environ.setdefault("KAOPING_SSL_REDIRECT", "0")

from config.settings.production import *  # noqa: E402, F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# The load test logs in many times from one address.
AXES_ENABLED = False
