"""Documents in the API (文书): the same files as the pages, by kind and object, and the
committee admins' templates (kinds and fields, defaults, uploads and their history)."""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS
from kaoping.api.pagination import Cursor
from kaoping.api.schemas import Code, Year
from kaoping.jobs.api import JobOut
from kaoping.kit.urlparams import SQL_INT_MAX

from . import selectors, services
from .answers import archive_answer, docx_answer, pdf_answer
from .background import year_archive_start
from .default_templates import DEFAULT_TEMPLATES
from .generate import (
    annual_report_docx,
    annual_report_pdf,
    meeting_minutes_docx,
    meeting_minutes_pdf,
    member_ledger_pdf,
    registration_form_docx,
    registration_form_pdf,
    results_notice_docx,
    results_notice_pdf,
    unqualified_case_docx,
    unqualified_case_file_pdf,
    unqualified_case_pdf,
)
from .kinds import KINDS
from .models import MAX_TEMPLATE_BYTES, DocumentTemplate

router = Router(tags=["documents"])


@router.get(
    "/members/{code}/documents/{year}/registration-form",
    response={200: None, **READ_ERRORS},
)
def registration_form(
    request: AuthedRequest,
    code: Code,
    year: Year,
    format: Literal["docx", "pdf"] = "docx",  # noqa: A002
):
    """民主评议党员登记表 of one member and year, as a Word file (.docx) or, with
    ``format=pdf``, an archival PDF (PDF/A-3b): to the member, the branch's officers and
    the committee; a score or grade only once published."""
    if format == "pdf":
        return pdf_answer(*registration_form_pdf(actor=request.auth, code=code, year=year))
    return docx_answer(*registration_form_docx(actor=request.auth, code=code, year=year))


@router.get(
    "/branches/{code}/documents/{year}/results-notice",
    response={200: None, **READ_ERRORS},
)
def results_notice(
    request: AuthedRequest,
    code: Code,
    year: Year,
    format: Literal["docx", "pdf"] = "docx",  # noqa: A002 - the query's name
):
    """党员考评结果公示 of a published branch-year, as a Word file or (``format=pdf``) the
    print page as an archival PDF: to the branch's members and officers and the committee;
    404 before publication."""
    if format == "pdf":
        return pdf_answer(*results_notice_pdf(actor=request.auth, code=code, year=year))
    return docx_answer(*results_notice_docx(actor=request.auth, code=code, year=year))


@router.get("/meetings/{code}/documents/minutes", response={200: None, **READ_ERRORS})
def meeting_minutes(
    request: AuthedRequest,
    code: Code,
    format: Literal["docx", "pdf"] = "docx",  # noqa: A002 - the query's name
):
    """会议记录 of a meeting, as a Word file or (``format=pdf``) an archival PDF: time,
    place, chair, recorder, who was present, on leave or absent, and the minutes; to the
    branch's officers and the committee (404 for anybody else, attendees included)."""
    if format == "pdf":
        return pdf_answer(*meeting_minutes_pdf(actor=request.auth, code=code))
    return docx_answer(*meeting_minutes_docx(actor=request.auth, code=code))


@router.get(
    "/branches/{code}/documents/{year}/annual-report",
    response={200: None, **READ_ERRORS},
)
def annual_report(
    request: AuthedRequest,
    code: Code,
    year: Year,
    format: Literal["docx", "pdf"] = "docx",  # noqa: A002 - the query's name
):
    """支部年度考评报告 of a branch-year (the dashboard's figures as tables), as a Word
    file or (``format=pdf``) its print page as an archival PDF: to the branch's officers
    and the committee."""
    if format == "pdf":
        return pdf_answer(*annual_report_pdf(actor=request.auth, code=code, year=year))
    return docx_answer(*annual_report_docx(actor=request.auth, code=code, year=year))


@router.get("/members/{code}/documents/{year}/ledger", response={200: None, **READ_ERRORS})
def member_ledger(request: AuthedRequest, code: Code, year: Year):
    """The member's scoring ledger of a year as an archival PDF (its print page): to the
    member, the branch's officers and the committee."""
    return pdf_answer(*member_ledger_pdf(actor=request.auth, code=code, year=year))


@router.get("/unqualified-cases/{code}/documents", response={200: None, **READ_ERRORS})
def unqualified_case(
    request: AuthedRequest,
    code: Code,
    format: Literal["docx", "pdf"] = "docx",  # noqa: A002 - the query's name
):
    """不合格党员处置文书 of a case: the proposal, both pre-review opinions, the vote
    record, both approvals and the determination, as a Word file or an archival PDF; to
    the bodies that act on the case (404 for anybody else, the member concerned
    included)."""
    if format == "pdf":
        return pdf_answer(*unqualified_case_pdf(actor=request.auth, code=code))
    return docx_answer(*unqualified_case_docx(actor=request.auth, code=code))


@router.get("/unqualified-cases/{code}/documents/case-file", response={200: None, **READ_ERRORS})
def unqualified_case_file(request: AuthedRequest, code: Code):
    """The case file's print page (facts, evidence, vote and every step of its history)
    as an archival PDF, to the bodies that act on the case."""
    return pdf_answer(*unqualified_case_file_pdf(actor=request.auth, code=code))


# --------------------------------------------------------------------------- archive


@router.get("/branches/{code}/documents/{year}/archive", response={200: None, **READ_ERRORS})
def year_archive(request: AuthedRequest, code: Code, year: Year):
    """年度归档: the zip of the branch's finalised year (every member's 登记表, the notice,
    the minutes, the report, the case documents, the ledger and results spreadsheets,
    ``manifest.json`` and ``SHA256SUMS``): to the branch's officers and the committee;
    404 until one is built."""
    return archive_answer(
        selectors.year_archive_for_download(actor=request.auth, code=code, year=year)
    )


@router.post("/branches/{code}/documents/{year}/archive", response={202: JobOut, **WRITE_ERRORS})
def year_archive_build(request: AuthedRequest, code: Code, year: Year):
    """Build the archive of a finalised year again, in the background (the branch's
    officers and the committee admins above it; 422 before the year is final): the job,
    whose result links the zip once done. Finalising a year starts one by itself."""
    branch = selectors.archive_branch_for_reader(actor=request.auth, code=code)
    return 202, year_archive_start(actor=request.auth, branch=branch, year=year)


# --------------------------------------------------------------------------- templates


class DocumentKindOut(Schema):
    slug: str
    title: str
    fields: dict[str, str]  # name -> meaning
    default_template: str  # the API path of the default .docx


class DocumentTemplateOut(Schema):
    id: int
    kind: str
    year: int
    organization: str
    filename: str
    sha256: str
    uploaded_by: str | None
    uploaded_at: datetime.datetime
    file: str  # the API path of the .docx

    @staticmethod
    def resolve_id(obj: DocumentTemplate) -> int:
        return obj.pk

    @staticmethod
    def resolve_organization(obj: DocumentTemplate) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_uploaded_by(obj: DocumentTemplate) -> str | None:
        return obj.uploaded_by.get_username() if obj.uploaded_by is not None else None

    @staticmethod
    def resolve_file(obj: DocumentTemplate) -> str:
        return f"/api/document-templates/{obj.pk}/file"


# KINDS' slugs (a test compares)
KindSlug = Literal[
    "registration-form", "results-notice", "meeting-minutes", "annual-report", "unqualified-case"
]
RowId = Annotated[int, Field(ge=1, le=SQL_INT_MAX)]


@router.get("/document-kinds", response={200: list[DocumentKindOut], **READ_ERRORS})
def document_kinds(request: AuthedRequest):
    """Every kind of document, the fields its templates may use (committee admins)."""
    selectors.templates_required(actor=request.auth)
    return [
        {
            "slug": kind.slug,
            "title": str(kind.title),
            "fields": {name: str(meaning) for name, meaning in kind.fields.items()},
            "default_template": f"/api/document-kinds/{kind.slug}/default-template",
        }
        for kind in KINDS.values()
    ]


@router.get("/document-kinds/{kind}/default-template", response={200: None, **READ_ERRORS})
def default_template(request: AuthedRequest, kind: KindSlug):
    """A kind's default template (.docx), to edit in Word and upload for a year."""
    selectors.templates_required(actor=request.auth)
    name = _("%(title)s（默认模板）.docx") % {"title": KINDS[kind].title}
    return docx_answer(name, DEFAULT_TEMPLATES[kind]())


@router.get("/document-templates", response={200: list[DocumentTemplateOut], **READ_ERRORS})
@paginate(Cursor)
def document_templates(
    request: AuthedRequest, kind: KindSlug | None = None, year: Year | None = None
):
    """Uploaded templates of the organisations the admin keeps, newest first (the latest
    of an organisation, kind and year is in force; the others are its history)."""
    rows = selectors.templates_visible(actor=request.auth)
    if kind is not None:
        rows = rows.filter(kind=kind)
    if year is not None:
        rows = rows.filter(year=year)
    return rows.order_by("-uploaded_at", "-id")


@router.post("/document-templates", response={201: DocumentTemplateOut, **WRITE_ERRORS})
def document_template_upload(
    request: AuthedRequest,
    organization: Form[Code],
    kind: Form[KindSlug],
    year: Form[Year],
    file: File[UploadedFile],
):
    """Upload an organisation's own template of a kind for a year (multipart). Refused
    (422 on ``file``) when it is no .docx, is broken, or uses a field its kind lacks
    (named); nothing is stored then."""
    org = selectors.template_organizations(actor=request.auth).filter(code=organization).first()
    if org is None:
        raise Http404(_("找不到这个党组织。"))
    if file.size is not None and file.size > MAX_TEMPLATE_BYTES:
        raise ValidationError({"file": _("模板文件不能超过 2 MB。")})
    row = services.document_template_upload(
        actor=request.auth,
        organization=org,
        kind=kind,
        year=year,
        filename=file.name or "template.docx",
        content=file.read(MAX_TEMPLATE_BYTES + 1),
    )
    return 201, row


@router.get("/document-templates/{id}/file", response={200: None, **READ_ERRORS})
def document_template_file(request: AuthedRequest, id: RowId):  # noqa: A002 - the path's name
    """One uploaded template's file (.docx)."""
    row = selectors.template_access_by_id(actor=request.auth, pk=id)
    return docx_answer(row.filename, bytes(row.content))
