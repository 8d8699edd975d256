"""文书下载: the documents as Word files, for those who may see their records."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from .answers import docx_answer, pdf_answer
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


@login_required
@require_GET
def registration_form(request, code: str, year: int):
    """民主评议党员登记表 of one member and year (.docx)."""
    return docx_answer(*registration_form_docx(actor=request.user, code=code, year=year))


@login_required
@require_GET
def registration_form_pdf_page(request, code: str, year: int):
    """The same form as an archival PDF."""
    return pdf_answer(*registration_form_pdf(actor=request.user, code=code, year=year))


@login_required
@require_GET
def results_notice(request, code: str, year: int):
    """党员考评结果公示 of a published branch-year (.docx)."""
    return docx_answer(*results_notice_docx(actor=request.user, code=code, year=year))


@login_required
@require_GET
def results_notice_pdf_page(request, code: str, year: int):
    """The notice's print page as an archival PDF."""
    return pdf_answer(*results_notice_pdf(actor=request.user, code=code, year=year))


@login_required
@require_GET
def meeting_minutes(request, code: str):
    """会议记录 of one meeting (.docx)."""
    return docx_answer(*meeting_minutes_docx(actor=request.user, code=code))


@login_required
@require_GET
def meeting_minutes_pdf_page(request, code: str):
    """The same record as an archival PDF."""
    return pdf_answer(*meeting_minutes_pdf(actor=request.user, code=code))


@login_required
@require_GET
def annual_report(request, code: str, year: int):
    """支部年度考评报告 of a branch-year (.docx): its officers and the committee."""
    return docx_answer(*annual_report_docx(actor=request.user, code=code, year=year))


@login_required
@require_GET
def annual_report_pdf_page(request, code: str, year: int):
    """The report's print page as an archival PDF."""
    return pdf_answer(*annual_report_pdf(actor=request.user, code=code, year=year))


@login_required
@require_GET
def member_ledger_pdf_page(request, code: str, year: int):
    """The member's scoring ledger of a year (its print page) as an archival PDF."""
    return pdf_answer(*member_ledger_pdf(actor=request.user, code=code, year=year))


@login_required
@require_GET
def unqualified_case(request, code: str):
    """不合格党员处置文书 of a case (.docx): the bodies that act on it."""
    return docx_answer(*unqualified_case_docx(actor=request.user, code=code))


@login_required
@require_GET
def unqualified_case_pdf_page(request, code: str):
    """The same as an archival PDF."""
    return pdf_answer(*unqualified_case_pdf(actor=request.user, code=code))


@login_required
@require_GET
def unqualified_case_file_pdf_page(request, code: str):
    """The case file's print page as an archival PDF."""
    return pdf_answer(*unqualified_case_file_pdf(actor=request.user, code=code))
