"""Answering with a stored file after the view's own access check.

With KAOPING_X_ACCEL_EVIDENCE on, the answer is empty and carries ``X-Accel-Redirect``: nginx
then sends the file from an ``internal`` location that maps MEDIA_ROOT (deploy/nginx,
docs/deployment.md), so no Python worker is held while a large file goes out. The location
is internal, so only an answer from Django can open it: the access check stays Django's.
Off (the default, and ``kaoping serve``), Django streams the file itself.
"""

from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from kaoping.kit.evidence import content_type_for


def file_answer(
    stored: FieldFile, *, filename: str, content_type: str | None = None, as_attachment=False
) -> HttpResponseBase:
    if not settings.KAOPING_X_ACCEL_EVIDENCE:
        return FileResponse(
            stored.open("rb"),
            filename=filename,
            content_type=content_type,
            as_attachment=as_attachment,
        )
    name = stored.name or ""
    if name.startswith("/") or ".." in name.split("/"):  # storage names never do; be sure
        raise Http404
    response = HttpResponse(content_type=content_type or "application/octet-stream")
    response["X-Accel-Redirect"] = settings.KAOPING_X_ACCEL_PREFIX + quote(name)
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def upload_answer(stored: FieldFile, *, missing: str) -> HttpResponseBase:
    """An uploaded file (a proof, evidence, a submission) under the last part of its stored
    name, typed by that name; a 404 saying ``missing`` when there is none."""
    if not stored:
        raise Http404(missing)
    name = (stored.name or "").rsplit("/", 1)[-1]
    return file_answer(stored, filename=name, content_type=content_type_for(name))
