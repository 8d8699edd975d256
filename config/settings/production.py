"""Production settings: PostgreSQL via KAOPING_DATABASE_URL, secrets from the environment."""

import os

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = os.environ["KAOPING_SECRET_KEY"]
DEBUG = False
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if "replica" in DATABASES:
    DATABASES["replica"]["CONN_MAX_AGE"] = 60
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("KAOPING_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("KAOPING_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
