"""Kaoping's JSON API (django-ninja), mounted at /api/.

Endpoints are thin: reads go through selectors that take the ``actor`` and return only
what the actor may see; writes go through services. Records are named by their codes.
Errors are JSON in one shape, ``{"code", "detail", "errors"}`` (``errors.py``, docs/api.md).

This module makes the API, answers its errors and registers the routers, one per
concept: people, archive, ledger, evaluation, results (with the scheme) and unqualified
here in ``kaoping/api/``; accounts and the sealed vote with their apps.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import Operation

from kaoping.accounts.api_logins import router as accounts_logins_router
from kaoping.accounts.api_passwords import router as accounts_passwords_router
from kaoping.accounts.api_roles import router as accounts_roles_router
from kaoping.claims.api import router as claims_router
from kaoping.evaluation.api_vote import router as evaluation_vote_router

from . import archive, evaluation, ledger, people, results, schemes, unqualified
from .auth import ClientRateThrottle, api_token_auth, session_auth
from .errors import CODE_OF_STATUS, ApiError, error_body
from .examples import openapi_examples_add
from .idempotency import idempotent_run, idempotent_view

# In the order of the schema's paths (they were one module until issue 18).
ROUTERS = (people, archive, ledger, evaluation, results, schemes, unqualified)


ERROR_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    409: "Conflict",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
}
IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "Retry this write safely: the first answer is stored for 24 hours and "
    "given again to a retry with the same key and the same request (docs/api.md).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[!-~]+$"},
    "example": "3f1c2b9e-8d4a-4c7e-9b21-5a6d0e7f8c90",
}


class KaopingAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """The endpoints of ``kaoping/api/`` keep the operation ids they had when they all
        lived in ``kaoping/api/api.py`` (clients generated from the schema call them so)."""
        if operation.view_func.__module__ in {m.__name__ for m in ROUTERS}:
            return f"kaoping_api_api_{operation.view_func.__name__}"
        return super().get_openapi_operation_id(operation)

    def get_openapi_schema(self, *args, **kwargs):
        """Every operation documents ``ErrorOut`` as the answer of each error status it can
        give: those it declares, and those any operation can give (401 unauthenticated,
        429 throttled, 500), and on writes the refusals of a read-only token (403) and of
        an ``Idempotency-Key`` (400 malformed, 409 in progress, 422 reused); and gives
        every schema, body and answer an example (``examples.py``)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        ref = {"$ref": "#/components/schemas/ErrorOut"}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                statuses = [401, 429, 500]
                if method in {"post", "put", "patch", "delete"}:
                    statuses += [400, 403, 409, 422]
                    operation.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
                responses = operation["responses"]
                for status in statuses:
                    if status in responses or str(status) in responses:
                        continue
                    responses[status] = {
                        "description": ERROR_DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": ref}},
                    }
        openapi_examples_add(schema)
        return schema


api = KaopingAPI(
    title="Kaoping API",
    version="1",
    description="考评 (Kaoping): quantified daily assessment of Party members. "
    "Authenticate with a session (browsers; CSRF token required on writes) or with "
    "`Authorization: Bearer <token>` (programs; `kaoping create-api-token`).",
    urls_namespace="api",
    auth=[api_token_auth, session_auth],
    throttle=[ClientRateThrottle()],
    openapi_url="/openapi.json",
    docs_url="/docs",
)

# Idempotency-Key on every write (idempotency.py): the key's form and the stored answer
# around the operation, the claim or the replay once the user is known.
api.add_decorator(idempotent_run, mode="view")
api.add_decorator(idempotent_view, mode="operation")

for module in ROUTERS:
    api.add_router("", module.router)
# Accounts, passwords and roles (issue 16) live with their app, one router per concept.
api.add_router("", accounts_logins_router)
api.add_router("", accounts_passwords_router)
api.add_router("", accounts_roles_router)
# The sealed vote's ballot box, counting and anonymous ballots (issue 17).
api.add_router("", evaluation_vote_router)
api.add_router("", claims_router)
api.add_router("", "kaoping.meetings.api.router")  # 扫码签到 (issue 20), with its app
api.add_router("", "kaoping.tasks.api.router")  # tasks (issue 20), with their app
api.add_router("", "kaoping.jobs.api.router")  # background jobs (issue 20)
api.add_router("", "kaoping.monitoring.api.router")  # 监测预警 (issue 20)
api.add_router("", "kaoping.planning.api.router")  # 方案草案 (issue 20)
api.add_router("", "kaoping.evaluation.api.router")  # 民主评议 (issue 20), with its app
api.add_router("", "kaoping.publication.api.router")  # 公示 and appeals (issue 20)
api.add_router("", "kaoping.unqualified.api.router")  # 不合格党员处置 (issue 20)
api.add_router("", "kaoping.archive.api.router")  # the archive's changes (issue 20)
api.add_router("", "kaoping.notifications.api.router")  # the inbox (issue 20)
api.add_router("", "kaoping.delivery.api.router")  # e-mail, SMS, group robots (issue 21)
api.add_router("", "kaoping.dues.api.router")  # 党费 (issue 20), with its app
api.add_router("", "kaoping.inspections.api.router")  # 专项督查 (issue 20)
api.add_router("", "kaoping.documents.api.router")  # official documents (issue 22)


# --------------------------------------------------------------------------- errors


def _field_of(loc) -> str:
    # ninja locations look like ("body", "payload", "date") or ("query", "page").
    parts = [str(p) for p in loc[1:] if str(p) not in {"payload", "pagination", "filters"}]
    return ".".join(parts) or "__all__"


def _summary(errors: dict[str, list[str]]) -> str:
    return "; ".join(
        m if f == "__all__" else f"{f}: {m}" for f, messages in errors.items() for m in messages
    )


def _error(request: HttpRequest, status: int, code: str, detail, errors=None):
    return api.create_response(request, error_body(code, detail, errors), status=status)


@api.exception_handler(NinjaValidationError)
def _ninja_validation_error(request: HttpRequest, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_of(error.get("loc", ())), []).append(str(error.get("msg", "")))
    return _error(request, 422, "validation_error", _summary(errors) or _("输入无效。"), errors)


@api.exception_handler(DjangoValidationError)
def _django_validation_error(request: HttpRequest, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        errors = {f: [str(m) for m in ms] for f, ms in exc.message_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    return _error(request, 422, "validation_error", _summary(errors) or _("输入无效。"), errors)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404):
    return _error(request, 404, "not_found", str(exc) or _("找不到所请求的内容。"))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied):
    return _error(request, 403, "permission_denied", str(exc) or _("您没有权限。"))


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError):
    return _error(request, exc.status, exc.code, exc.message, exc.errors)


@api.exception_handler(AuthenticationError)
def _not_authenticated(request: HttpRequest, exc: AuthenticationError):
    return _error(request, 401, "not_authenticated", _("请先登录，或提供有效的 API 令牌。"))


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled):
    return _error(request, 429, "throttled", _("请求过于频繁，请稍后再试。"))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError):
    """ninja's own refusals, each in the request's language: a body that is not JSON
    (400) and a session write without its CSRF token (403)."""
    if exc.status_code == 403 and "CSRF" in exc.message:
        return _error(request, 403, "csrf_failed", _("CSRF 校验失败：请带上 CSRF 令牌。"))
    if exc.status_code == 400:
        return _error(request, 400, "bad_request", _("请求正文不是有效的 JSON。"))
    code = CODE_OF_STATUS.get(exc.status_code, "error")
    return _error(request, exc.status_code, code, exc.message)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception):
    """Any other failure: a JSON 500 that says nothing of the cause (ninja's own handler
    would re-raise it, or with DEBUG answer the traceback as text); the traceback goes to
    the log, as Django's handler would have sent it."""
    import logging

    logging.getLogger("django.request").error(
        "Internal Server Error: %s", request.path, exc_info=exc
    )
    return _error(request, 500, "server_error", _("服务器内部错误"))
