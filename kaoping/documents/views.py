"""文书下载: the documents as Word files or archival PDFs, for those who may see their
records. Every page is the same thin GET: the generator (in ``generate``) checks the
reader and makes the file, the answer sends it."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from . import generate
from .answers import docx_answer, pdf_answer


def _download(build, answer, doc: str):
    """The page of one document: ``build(actor=…, code=…[, year=…])`` with the URL's
    arguments, its (name, bytes) as ``answer`` makes it (.docx or PDF)."""

    @login_required
    @require_GET
    def view(request, **url):
        return answer(*build(actor=request.user, **url))

    view.__doc__ = doc
    return view


registration_form = _download(
    generate.registration_form_docx,
    docx_answer,
    "民主评议党员登记表 of one member and year (.docx).",
)
registration_form_pdf_page = _download(
    generate.registration_form_pdf, pdf_answer, "The same form as an archival PDF."
)
results_notice = _download(
    generate.results_notice_docx,
    docx_answer,
    "党员考评结果公示 of a published branch-year (.docx).",
)
results_notice_pdf_page = _download(
    generate.results_notice_pdf, pdf_answer, "The notice's print page as an archival PDF."
)
meeting_minutes = _download(
    generate.meeting_minutes_docx, docx_answer, "会议记录 of one meeting (.docx)."
)
meeting_minutes_pdf_page = _download(
    generate.meeting_minutes_pdf, pdf_answer, "The same record as an archival PDF."
)
annual_report = _download(
    generate.annual_report_docx,
    docx_answer,
    "支部年度考评报告 of a branch-year (.docx): its officers and the committee.",
)
annual_report_pdf_page = _download(
    generate.annual_report_pdf, pdf_answer, "The report's print page as an archival PDF."
)
member_ledger_pdf_page = _download(
    generate.member_ledger_pdf,
    pdf_answer,
    "The member's scoring ledger of a year (its print page) as an archival PDF.",
)
unqualified_case = _download(
    generate.unqualified_case_docx,
    docx_answer,
    "不合格党员处置文书 of a case (.docx): the bodies that act on it.",
)
unqualified_case_pdf_page = _download(
    generate.unqualified_case_pdf, pdf_answer, "The same as an archival PDF."
)
unqualified_case_file_pdf_page = _download(
    generate.unqualified_case_file_pdf,
    pdf_answer,
    "The case file's print page as an archival PDF.",
)
