"""Logging: structlog lines with the request id (kaoping/ops/middleware.py) on every line,
one JSON object a line in production (KAOPING_LOG_FORMAT=json), readable lines locally.

Lines from the standard library (Django's own loggers, django-axes, the app's loggers) go
through the same formatter, so they carry the request id too. Request bodies are never
logged (django-structlog logs method, path, status, user id); a password-reset token in a
path and values of keys that name a secret are replaced before a line is written.
"""

import re

import structlog

SECRET_KEY_NAMES = re.compile(r"pass|token|secret|key|authori[sz]ation|cookie|dsn|ballot", re.I)
# Django's reset link carries the token in its path: /password/reset/<uid>/<token>/.
RESET_TOKEN = re.compile(r"(/password/reset/[^/\s]+/)(?!set-password/)[^/\s?]+")
QUERY_SECRET = re.compile(r"([?&][^=&\s]*(?:pass|token|secret|key)[^=&\s]*=)[^&\s]*", re.I)
REDACTED = "[redacted]"


def redact(_logger, _method, event: dict) -> dict:
    for name, value in list(event.items()):
        if name != "event" and SECRET_KEY_NAMES.search(name):
            event[name] = REDACTED
        elif isinstance(value, str):
            event[name] = QUERY_SECRET.sub(
                rf"\1{REDACTED}", RESET_TOKEN.sub(rf"\1{REDACTED}", value)
            )
    return event


def _shared() -> list:
    return [
        structlog.contextvars.merge_contextvars,  # request_id, user_id, ip
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def logging_settings(fmt: str, level: str) -> dict:
    """Django's LOGGING for ``fmt`` ("json" or "console"); configures structlog as well."""
    if fmt not in ("json", "console"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"KAOPING_LOG_FORMAT is 'json' or 'console', not {fmt!r}")
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    renderer = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    final = [structlog.stdlib.ProcessorFormatter.remove_processors_meta, redact]
    if fmt == "json":
        final.append(structlog.processors.format_exc_info)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [*final, renderer],
                "foreign_pre_chain": _shared(),
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            # One line when a request starts and one when it ends, with its status.
            "django_structlog": {"level": level},
            "kaoping": {"level": level},
            # WeasyPrint warns of every CSS property it does not know (the print pages'
            # screen rules) on every PDF: only its errors are worth a line.
            "weasyprint": {"level": "ERROR"},
        },
    }
