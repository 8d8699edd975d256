"""A generated document as an HTTP download (the page's and the API's)."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from .generate import DOCX


def docx_answer(name: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
