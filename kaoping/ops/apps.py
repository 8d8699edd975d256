from django.apps import AppConfig


class OpsConfig(AppConfig):
    """What an operator needs around the application: probes, request ids in the logs, the
    optional error reporter, file answers that nginx may serve. No models, no rules."""

    name = "kaoping.ops"
    label = "ops"

    def ready(self) -> None:
        from django.conf import settings
        from django.core.signals import request_finished

        from . import migration_history  # noqa: F401  (registers its database check)
        from .reporting import error_reporter_init

        error_reporter_init(settings.KAOPING_SENTRY_DSN)
        # The request id stays bound until the answer is sent, then goes with the request.
        request_finished.connect(_forget_request, dispatch_uid="kaoping.ops.forget_request")


def _forget_request(**kwargs) -> None:
    import structlog

    structlog.contextvars.clear_contextvars()
