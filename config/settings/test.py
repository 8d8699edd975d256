"""Settings for the test suite; the database comes from KAOPING_DATABASE_URL like everywhere."""

from .base import *  # noqa: F403
from .base import DATABASES, STATIC_ROOT
from .environment import env

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env.str("KAOPING_TASKS", default="db") != "rq":  # jobs/tests/test_rq_worker.py runs a real one
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The ledger's truncate guard lets the test runner's flush through (and only it):
    # see kaoping/ledger/models.py.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c kaoping.allow_truncate=on"

# Whitenoise serves from STATIC_ROOT; the tests read static files through the finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
KAOPING_LEDGER_KEY = "test-ledger-key"
KAOPING_SLIP_KEY = "test-slip-key"

# django-axes needs the request in authenticate(), which the test client's login() does not
# pass; the lockout is tested with AXES_ENABLED switched on (kaoping/web/tests/test_security.py).
AXES_ENABLED = False
# The tests send hundreds of API requests a minute as one user (the fuzzer most of all);
# the throttle is tested with a small rate set in kaoping/api/tests/test_tokens.py.
KAOPING_API_RATE = None
