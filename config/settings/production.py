"""Production settings: PostgreSQL via KAOPING_DATABASE_URL, secrets from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES
from .environment import env
from .logs import logging_settings


def _required(name: str, what: str) -> str:
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"生产环境必须设置 {name}（{what}）。Production needs {name} to be set: a long "
            "random value of its own, e.g. python -c 'import secrets; "
            "print(secrets.token_urlsafe(48))'. See docs/security.md."
        )
    return value


SECRET_KEY = _required("KAOPING_SECRET_KEY", "会话与表单签名密钥")
# The ledger's chain key never derives from SECRET_KEY: rotating that one must leave every
# recorded entry verifying (docs/security.md "The ledger key").
KAOPING_LEDGER_KEY = _required("KAOPING_LEDGER_KEY", "评分台账防篡改链的密钥")
KAOPING_SLIP_KEY = _required("KAOPING_SLIP_KEY", "账号条初始密码的加密密钥")
DEBUG = False
# One JSON object a line for the log collector (config/settings/logs.py).
LOGGING = logging_settings(
    env.str("KAOPING_LOG_FORMAT", default="json"), env.str("KAOPING_LOG_LEVEL", default="INFO")
)
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
SECURE_SSL_REDIRECT = env.bool("KAOPING_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("KAOPING_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
