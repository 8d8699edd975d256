"""``Idempotency-Key`` on the API's writes (docs/api.md "Idempotency").

A client that may have to retry a write (a timeout, a lost answer) sends a key of its own
(1-100 printable ASCII characters; anything else is a 400 ``idempotency_key_invalid``).
The first request with the key runs and its answer (status and body) is stored for 24
hours per (user, key); a retry with the same key and the same request (method, path with
its query, SHA-256 of the body) gets that answer again, marked ``Idempotent-Replayed:
true``, and the write does not run again. The same key with another request is a 422
``idempotency_key_reused``; a retry while the first still runs a 409 ``conflict``.

Two wrappers, added to every operation by ``api.py``: ``idempotent_run`` around ninja's
``Operation.run`` (checks the key's form, then stores the answer the operation gave),
``idempotent_view`` around the endpoint itself, which runs after authentication (so the
user is known) and either answers the stored response or claims the key.
"""

import functools
import hashlib
import re

from django.http import HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _

from .errors import error_json
from .services import idempotent_claim, idempotent_keep

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"[!-~]{1,100}")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CLAIM = "_kaoping_idempotency_claim"


def _key(request) -> str | None:
    if request.method not in WRITE_METHODS:
        return None
    return request.headers.get(HEADER)


def _body_hash(request) -> str:
    """SHA-256 of the body; of a multipart body already read as a form (its raw bytes are
    gone then), of its fields and its files' names, sizes and contents."""
    try:
        return hashlib.sha256(request.body).hexdigest()
    except RawPostDataException:
        digest = hashlib.sha256()
        for name, values in sorted(request.POST.lists()):
            digest.update(repr((name, values)).encode())
        for name, files in sorted(request.FILES.lists()):
            for f in files:
                digest.update(repr((name, f.name, f.size)).encode())
                for chunk in f.chunks():
                    digest.update(chunk)
                f.seek(0)
        return digest.hexdigest()


def idempotent_run(run):
    @functools.wraps(run)
    def wrapper(request, *args, **kwargs):
        key = _key(request)
        if key is not None and not KEY_PATTERN.fullmatch(key):
            return error_json(
                400,
                "idempotency_key_invalid",
                _("Idempotency-Key 须为 1 到 100 个可打印的 ASCII 字符。"),
            )
        response = run(request, *args, **kwargs)
        claim = getattr(request, CLAIM, None)
        if claim is not None:
            idempotent_keep(
                claim=claim,
                status=response.status_code,
                content_type=response.get("Content-Type", ""),
                body=b"" if response.streaming else response.content,
            )
        return response

    return wrapper


def idempotent_view(view_func):
    @functools.wraps(view_func)
    def wrapper(request, *args, **kwargs):
        key = _key(request)
        if key is None or not getattr(getattr(request, "auth", None), "is_authenticated", False):
            # an operation open to anonymous callers has no user to keep answers for
            return view_func(request, *args, **kwargs)
        claim, stored = idempotent_claim(
            actor=request.auth,
            key=key,
            method=request.method,
            path=request.get_full_path(),
            body_hash=_body_hash(request),
        )
        if stored is not None:
            response = HttpResponse(
                bytes(stored.body), status=stored.status, content_type=stored.content_type
            )
            response["Idempotent-Replayed"] = "true"
            return response
        setattr(request, CLAIM, claim)
        return view_func(request, *args, **kwargs)

    return wrapper
