"""A generated document as an HTTP download (the page's and the API's)."""

from django.http import HttpResponse
from django.http.response import HttpResponseBase
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


def archive_answer(archive) -> HttpResponseBase:
    """A year archive's zip (a ``YearArchive``) as an attachment, never cached."""
    from kaoping.ops.files import file_answer

    answer = file_answer(
        archive.file, filename=archive.filename, content_type="application/zip", as_attachment=True
    )
    answer["Cache-Control"] = "private, no-store"
    return answer
