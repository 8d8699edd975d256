"""The API's one error shape: ``{"code": ..., "detail": ..., "errors": {field: [...]}}``.

``code`` is a stable machine code (docs/api.md lists them); ``detail`` the message in the
request's language (``Accept-Language``: Chinese by default, English on ``en``);
``errors`` the messages per field (``__all__`` for the request as a whole), empty when the
error names no field. Every answer of an error, from an operation, from authentication,
throttling or idempotency, and from Django's own 404/500 under ``/api/`` (``web/errors.py``)
has this shape.
"""

from django.http import HttpRequest, JsonResponse

# Machine codes by HTTP status, for errors that carry no code of their own.
CODE_OF_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "validation_error",
    429: "throttled",
    500: "server_error",
}


class ApiError(Exception):
    """An error with its own machine code: ``ApiError(409, "conflict", _("…"))``; the
    message is gettext on a Chinese literal like every other user message."""

    def __init__(self, status: int, code: str, message: str, errors=None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors: dict[str, list[str]] = errors or {}


def error_body(code: str, detail: str, errors: dict[str, list[str]] | None = None) -> dict:
    return {"code": code, "detail": str(detail), "errors": errors or {}}


def error_json(status: int, code: str, detail: str, errors=None) -> JsonResponse:
    """An error answered outside ninja (middleware, Django's handlers), the same shape."""
    return JsonResponse(error_body(code, detail, errors), status=status)


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")
