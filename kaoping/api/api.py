"""Kaoping's JSON API (django-ninja), mounted at /api/.

Endpoints are thin: reads go through selectors that take the ``actor`` and return only
what the actor may see; writes go through services. Records are named by their codes.
Errors are JSON: ``{"detail": ...}``, plus ``"errors": {field: [messages]}`` for 422.

This module makes the API, answers its errors and registers the routers, one per
concept: people, archive, ledger, evaluation, results (with the scheme) and unqualified
here in ``kaoping/api/``; accounts and the sealed vote with their apps.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import Operation

from kaoping.accounts.api_logins import router as accounts_logins_router
from kaoping.accounts.api_passwords import router as accounts_passwords_router
from kaoping.accounts.api_roles import router as accounts_roles_router
from kaoping.evaluation.api_vote import router as evaluation_vote_router

from . import archive, evaluation, ledger, people, results, unqualified
from .auth import api_token_auth, session_auth

# In the order of the schema's paths (they were one module until issue 18).
ROUTERS = (people, archive, ledger, evaluation, results, unqualified)


class KaopingAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """The endpoints of ``kaoping/api/`` keep the operation ids they had when they all
        lived in ``kaoping/api/api.py`` (clients generated from the schema call them so)."""
        if operation.view_func.__module__ in {m.__name__ for m in ROUTERS}:
            return f"kaoping_api_api_{operation.view_func.__name__}"
        return super().get_openapi_operation_id(operation)


api = KaopingAPI(
    title="Kaoping API",
    version="1",
    description="考评 (Kaoping): quantified daily assessment of Party members. "
    "Authenticate with a session (browsers; CSRF token required on writes) or with "
    "`Authorization: Bearer <token>` (programs; `kaoping create-api-token`).",
    urls_namespace="api",
    auth=[api_token_auth, session_auth],
    openapi_url="/openapi.json",
    docs_url="/docs",
)

for module in ROUTERS:
    api.add_router("", module.router)
# Accounts, passwords and roles (issue 16) live with their app, one router per concept.
api.add_router("", accounts_logins_router)
api.add_router("", accounts_passwords_router)
api.add_router("", accounts_roles_router)
# The sealed vote's ballot box, counting and anonymous ballots (issue 17).
api.add_router("", evaluation_vote_router)
api.add_router("", "kaoping.meetings.api.router")  # 扫码签到 (issue 20), with its app


# --------------------------------------------------------------------------- errors


def _field_of(loc) -> str:
    # ninja locations look like ("body", "payload", "date") or ("query", "page").
    parts = [str(p) for p in loc[1:] if str(p) not in {"payload", "pagination", "filters"}]
    return ".".join(parts) or "__all__"


def _summary(errors: dict[str, list[str]]) -> str:
    return "; ".join(
        m if f == "__all__" else f"{f}: {m}" for f, messages in errors.items() for m in messages
    )


@api.exception_handler(NinjaValidationError)
def _ninja_validation_error(request: HttpRequest, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_of(error.get("loc", ())), []).append(str(error.get("msg", "")))
    return api.create_response(
        request, {"detail": _summary(errors) or _("输入无效。"), "errors": errors}, status=422
    )


@api.exception_handler(DjangoValidationError)
def _django_validation_error(request: HttpRequest, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        errors = {f: [str(m) for m in ms] for f, ms in exc.message_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    return api.create_response(
        request, {"detail": _summary(errors) or _("输入无效。"), "errors": errors}, status=422
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404):
    return api.create_response(
        request, {"detail": str(exc) or _("找不到所请求的内容。")}, status=404
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or _("您没有权限。")}, status=403)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception):
    """Any other failure: a JSON 500 that says nothing of the cause (ninja's own handler
    would re-raise it, or with DEBUG answer the traceback as text); the traceback goes to
    the log, as Django's handler would have sent it."""
    import logging

    from django.utils.translation import gettext

    logging.getLogger("django.request").error(
        "Internal Server Error: %s", request.path, exc_info=exc
    )
    return api.create_response(request, {"detail": gettext("服务器内部错误")}, status=500)
