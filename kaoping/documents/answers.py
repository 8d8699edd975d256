"""A generated document as an HTTP download (the page's and the API's)."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from .generate import DOCX

PDF = "application/pdf"


def docx_answer(name: str, content: bytes, content_type: str = DOCX) -> HttpResponse:
    """A generated file (.docx, or ``content_type``) as an attachment, never cached."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def pdf_answer(name: str, content: bytes) -> HttpResponse:
    return docx_answer(name, content, PDF)
