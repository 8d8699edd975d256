"""Settings shared by every environment.

The database comes from ``KAOPING_DATABASE_URL`` (``sqlite:///…`` or ``postgres://…``);
without it Kaoping uses an embedded SQLite file under ``KAOPING_DATA_DIR``.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .environment import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env.str("KAOPING_DATA_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = env.str("KAOPING_SECRET_KEY", default="")
DEBUG = False
ALLOWED_HOSTS: list[str] = env.list("KAOPING_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "pgtrigger",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # Kaoping's apps, in dependency order: each may import only from those above it.
    # Operations (probes, request ids, error reporter, file answers): no rules, no models.
    "kaoping.ops",
    "kaoping.audit",
    "kaoping.notifications",
    "kaoping.sheets",
    "kaoping.orgs",
    # Jobs name an organisation and are scoped like it, so they sit right below orgs.
    "kaoping.jobs",
    "kaoping.schemes",
    "kaoping.ledger",
    "kaoping.archive",
    "kaoping.accounts",
    # Messages beyond the app (e-mail, SMS, group robots): below every workflow that
    # sends a notification, above the archive (phone numbers) and the tree.
    "kaoping.delivery",
    "kaoping.meetings",
    "kaoping.tasks",
    "kaoping.dues",
    "kaoping.inspections",
    "kaoping.claims",
    "kaoping.evaluation",
    "kaoping.scoring",
    "kaoping.publication",
    "kaoping.unqualified",
    # Official documents (Word files) read every workflow's records and write none.
    "kaoping.documents",
    "kaoping.monitoring",
    "kaoping.reminders",
    "kaoping.planning",
    "kaoping.onboarding",
    "kaoping.dashboards",
    "kaoping.workbench",
    "kaoping.bundles",
    "kaoping.demo",
    "kaoping.api",
    "kaoping.web",
]

MIDDLEWARE = [
    # /healthz and /readyz answer before the rest runs (kaoping/ops/middleware.py).
    "kaoping.ops.middleware.ProbeMiddleware",
    # X-Request-ID: on every log line of the request and on its answer.
    "kaoping.ops.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Safe requests read from the replica when there is one (kaoping/routers.py).
    "kaoping.routers.ReplicaReadsMiddleware",
    # htmx answers: a redirect becomes HX-Redirect, never a whole page in a target
    # (kaoping/kit/answers.py); early, so it also sees the 2FA and lockout redirects.
    "kaoping.kit.answers.HtmxAnswerMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kaoping.web.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # 400 for a query string with a control character or a year/page out of range.
    "kaoping.kit.urlparams.QueryStringMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # One line when a request starts and one when it ends (method, path, status, user id;
    # never the body), after the user is known.
    "django_structlog.middlewares.RequestMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "kaoping.web.middleware.TwoFactorRequiredMiddleware",
    # A password given by someone else must be changed before anything else.
    "kaoping.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kaoping.notifications.context_processors.unread_notifications",
            ],
        },
    },
]


def database_from_env(default_path: Path) -> dict:
    url = env.str("KAOPING_DATABASE_URL", default="") or f"sqlite:///{default_path}"
    config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web server read while a command writes.
        config.setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
        config["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    return config


DATABASES = {"default": database_from_env(DATA_DIR / "kaoping.sqlite3")}
# A PostgreSQL streaming replica of the primary for reads (kaoping/routers.py,
# docs/scaling.md); without it every read goes to the primary as before.
if env.str("KAOPING_REPLICA_URL", default=""):
    DATABASES["replica"] = dj_database_url.parse(env.str("KAOPING_REPLICA_URL"), conn_max_age=0)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["kaoping.routers.PrimaryReplicaRouter"]
REPLICA_PIN_SECONDS = env.int("KAOPING_REPLICA_PIN_SECONDS", default=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords (docs/accounts.md): Argon2 first; hashes made by the other hashers are
# upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
KAOPING_PASSWORD_MIN_LENGTH = env.int("KAOPING_PASSWORD_MIN_LENGTH", default=10)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": KAOPING_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A reset code issued by the admin or the member's secretary works once, for this long.
KAOPING_RESET_CODE_HOURS = env.int("KAOPING_RESET_CODE_HOURS", default=24)
# Sign-ins shown on /account/ are kept this many days.
KAOPING_SIGN_IN_DAYS = env.int("KAOPING_SIGN_IN_DAYS", default=90)
# The mail server: KAOPING_EMAIL_URL (smtp://user:password@host:25 plain, smtps:// with
# STARTTLS, smtp+ssl:// TLS from the start; docs/notifications.md), or KAOPING_EMAIL_HOST
# and its companions below. Reset by email and the e-mail channel need one.
_email_url = env.str("KAOPING_EMAIL_URL", default="")
KAOPING_EMAIL_RESET = bool(_email_url or env.str("KAOPING_EMAIL_HOST", default=""))
if _email_url:
    globals().update(env.email_url("KAOPING_EMAIL_URL"))
    DEFAULT_FROM_EMAIL = env.str(
        "KAOPING_EMAIL_FROM", default=globals().get("EMAIL_HOST_USER") or "kaoping@localhost"
    )
elif KAOPING_EMAIL_RESET:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("KAOPING_EMAIL_HOST")
    EMAIL_PORT = env.int("KAOPING_EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env.str("KAOPING_EMAIL_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("KAOPING_EMAIL_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("KAOPING_EMAIL_TLS", default=True)
    DEFAULT_FROM_EMAIL = env.str(
        "KAOPING_EMAIL_FROM", default=EMAIL_HOST_USER or "kaoping@localhost"
    )
PASSWORD_RESET_TIMEOUT = KAOPING_RESET_CODE_HOURS * 3600
# Messages beyond the application (kaoping/delivery, docs/notifications.md): quiet hours
# hold a non-urgent e-mail or SMS until they end; SMS through the gateway named by
# KAOPING_SMS_PROVIDER ("aliyun" or a dotted path to an SmsGateway class; empty: no SMS).
KAOPING_QUIET_HOURS = env.str("KAOPING_QUIET_HOURS", default="22:00-07:00")
# The site's address, put before a message's link in e-mails and group posts ("": none).
KAOPING_SITE_URL = env.str("KAOPING_SITE_URL", default="").rstrip("/")
KAOPING_SMS_PROVIDER = env.str("KAOPING_SMS_PROVIDER", default="")
KAOPING_SMS_URL = env.str("KAOPING_SMS_URL", default="https://dysmsapi.aliyuncs.com/")
KAOPING_SMS_KEY_ID = env.str("KAOPING_SMS_KEY_ID", default="")
KAOPING_SMS_KEY_SECRET = env.str("KAOPING_SMS_KEY_SECRET", default="")
KAOPING_SMS_SIGN_NAME = env.str("KAOPING_SMS_SIGN_NAME", default="")
KAOPING_SMS_TEMPLATE = env.str("KAOPING_SMS_TEMPLATE", default="")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while a lockout lasts
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout after repeated failures (django-axes): per username and address, for an hour.
AXES_FAILURE_LIMIT = env.int("KAOPING_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"

# Single sign-on against LDAP / Active Directory (config/settings/directory.py,
# docs/accounts.md): off unless KAOPING_LDAP_URL is set; its backend then sits between
# django-axes and the local passwords.
from .directory import directory_backends, directory_settings  # noqa: E402

_directory = directory_settings(os.environ)
globals().update(_directory)
AUTHENTICATION_BACKENDS = directory_backends(
    AUTHENTICATION_BACKENDS, bool(_directory["KAOPING_LDAP_URL"])
)

# Two-factor login (django-otp, TOTP): staff may enrol at /me/two-factor/; with
# KAOPING_REQUIRE_2FA_FOR_STAFF=1 every staff login must pass a token (default: optional).
KAOPING_REQUIRE_2FA_FOR_STAFF = env.bool("KAOPING_REQUIRE_2FA_FOR_STAFF", default=False)
# The API's rate per token (a session: per user), django-ninja's "N/period" (s, min, hour,
# day); empty: unlimited. Over it, a 429 "throttled" (kaoping/api/auth.py, docs/api.md).
KAOPING_API_RATE = env.str("KAOPING_API_RATE", default="600/min") or None
OTP_TOTP_ISSUER = "Kaoping 考评"

# Content-Security-Policy: every script and style is a vendored static file, so no
# inline script or style is allowed anywhere.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "kaoping" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # gzip copies made by collectstatic, served by WhiteNoise to browsers that accept them
    # (Tabler's stylesheet is 620 KB, 80 KB compressed); production adds hashed names.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

# Background tasks (kaoping/jobs): a queue in the database, run by ``manage.py db_worker``;
# KAOPING_TASKS=rq moves it to Redis (KAOPING_REDIS_URL) for RQ workers on any number of
# machines (``manage.py rqworker --job-class django_tasks_rq.Job default``; needs the
# ``rq`` extra), the code unchanged (docs/scaling.md "Background tasks…").
TASKS_QUEUE = env.str("KAOPING_TASKS", default="db")
if TASKS_QUEUE not in ("db", "rq"):
    raise ImproperlyConfigured(f"KAOPING_TASKS is 'db' (the default) or 'rq', not {TASKS_QUEUE!r}")
if TASKS_QUEUE == "rq":
    if not env.str("KAOPING_REDIS_URL", default=""):
        raise ImproperlyConfigured("KAOPING_TASKS=rq needs KAOPING_REDIS_URL (redis://host:6379/0)")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": env.str("KAOPING_REDIS_URL"), "DEFAULT_TIMEOUT": 3600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Reminders (kaoping/reminders, docs/reminders.md): how long before a meeting and
# before a task's deadline they go out, and how long after a missed deadline the
# secretary hears of it (durations: 30m, 24h, 3d); the scheduler checks every few
# seconds and enqueues the reminders every KAOPING_REMINDERS_EVERY minutes.
REMINDERS = {
    "meeting_before": env.str("KAOPING_REMIND_MEETING_BEFORE", default="24h,1h"),
    "task_before": env.str("KAOPING_REMIND_TASK_BEFORE", default="3d,1d"),
    "task_missed_after": env.str("KAOPING_REMIND_TASK_MISSED_AFTER", default="1d"),
    "dues_before": env.str("KAOPING_REMIND_DUES_BEFORE", default="3d,1d"),
    "evaluation_before": env.str("KAOPING_REMIND_EVALUATION_BEFORE", default="3d,1d"),
    "notice_before": env.str("KAOPING_REMIND_NOTICE_BEFORE", default="1d"),
    "escalate_warnings_after": env.str("KAOPING_ESCALATE_WARNINGS_AFTER", default="7d"),
}
REMINDERS_EVERY_MINUTES = env.int("KAOPING_REMINDERS_EVERY", default=5)

# The cache of live results and rendered page parts (docs/scaling.md "Caching pages and
# results"). Its keys carry the results stamps read from the database on every request,
# so an entry can never be stale and any backend is correct; the default is the database
# (the table is made by the scoring migrations, shared by every worker and app server);
# with KAOPING_REDIS_URL it is Redis (needs the ``redis`` package), which spares the
# database the reads.
if env.str("KAOPING_REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("KAOPING_REDIS_URL"),
            "TIMEOUT": 24 * 3600,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kaoping_cache",
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": 50_000, "CULL_FREQUENCY": 4},
        }
    }
# Fragments that are a pure function of their cache key (the navigation: what the user's
# roles offer, in the page's language), kept in each worker's memory: no round trip.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "kaoping-fragments",
    "TIMEOUT": 3600,
    "OPTIONS": {"MAX_ENTRIES": 5_000},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-free meta tag instead
X_FRAME_OPTIONS = "DENY"

# Structured logs (config/settings/logs.py): readable lines here, JSON in production.
from .logs import logging_settings  # noqa: E402

KAOPING_LOG_LEVEL = env.str("KAOPING_LOG_LEVEL", default="INFO")
LOGGING = logging_settings(env.str("KAOPING_LOG_FORMAT", default="console"), KAOPING_LOG_LEVEL)
# The id bound by kaoping.ops.middleware.RequestIdMiddleware (already checked there).
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = True

# The optional error reporter (kaoping/ops/reporting.py): off unless a DSN is given.
KAOPING_SENTRY_DSN = env.str("KAOPING_SENTRY_DSN", default="")
# Evidence files handed to nginx (X-Accel-Redirect to an internal location that maps
# MEDIA_ROOT) after the view's access check, instead of streamed by Python
# (docs/deployment.md). Off: Django streams the file itself.
KAOPING_X_ACCEL_EVIDENCE = env.bool("KAOPING_X_ACCEL_EVIDENCE", default=False)
KAOPING_X_ACCEL_PREFIX = env.str("KAOPING_X_ACCEL_PREFIX", default="/_protected/")

# The key of the ledger's tamper-evident chain (kaoping/ledger/chain.py). Keep it out of
# the database; a restored database dump verifies only with the same key.
KAOPING_LEDGER_KEY = env.str("KAOPING_LEDGER_KEY", default="")
# The key that seals the initial passwords of account slips until they are downloaded
# (kaoping/accounts/slips.py; a Fernet key is derived from it with HKDF). Kept like the
# ledger key: outside the database, made once by a local installation, required in
# production. KAOPING_SLIP_TTL_MINUTES: how long sealed passwords are kept for download.
KAOPING_SLIP_KEY = env.str("KAOPING_SLIP_KEY", default="")
KAOPING_SLIP_TTL_MINUTES = env.int("KAOPING_SLIP_TTL_MINUTES", default=60)
# Issuing more logins than this at once runs as a background job (hashing is slow).
KAOPING_LOGINS_INLINE_MAX = env.int("KAOPING_LOGINS_INLINE_MAX", default=50)
# The site's address printed on account slips; empty: the address the page was opened at.
KAOPING_SITE_URL = env.str("KAOPING_SITE_URL", default="")

# ---------------------------------------------------------------------------------------
# Limits on reading an uploaded spreadsheet (kaoping/sheets/xlsx.py ``sheet_upload_check``
# and ``read_rows``; issue 15 item 7). The zip's own directory is checked before openpyxl
# parses anything, so an over-limit file is refused at once with a message naming the
# limit; the rows read (blank or not) are counted while reading. Uploads above
# KAOPING_IMPORT_INLINE_PREVIEW_BYTES are previewed by a background job, not the request.
KAOPING_UPLOAD_MAX_BYTES = env.int("KAOPING_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
KAOPING_SHEET_MAX_UNCOMPRESSED_BYTES = env.int(
    "KAOPING_SHEET_MAX_UNCOMPRESSED_BYTES", default=60 * 1024 * 1024
)
KAOPING_SHEET_MAX_SHEET_BYTES = env.int("KAOPING_SHEET_MAX_SHEET_BYTES", default=30 * 1024 * 1024)
KAOPING_SHEET_MAX_RATIO = env.int("KAOPING_SHEET_MAX_RATIO", default=100)
KAOPING_SHEET_MAX_READ_ROWS = env.int("KAOPING_SHEET_MAX_READ_ROWS", default=20000)
KAOPING_IMPORT_INLINE_PREVIEW_BYTES = env.int(
    "KAOPING_IMPORT_INLINE_PREVIEW_BYTES", default=256 * 1024
)
# ---------------------------------------------------------------------------------------
