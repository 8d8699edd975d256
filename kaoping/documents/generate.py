"""A document as a file (生成文书): the kind's template filled with the fields its reader
may see. Pages, the API and (later) the year's archive call these."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.dashboards.printing import LEDGER_PAGE, REPORT_PAGE, member_ledger_page
from kaoping.meetings.selectors import meeting_record_access_by_code
from kaoping.orgs.models import Organization
from kaoping.publication.selectors import notice_print_context
from kaoping.unqualified.selectors import case_file

from .case_fields import case_documents_fields, case_for_documents
from .default_templates import DEFAULT_TEMPLATES
from .kinds import (
    ANNUAL_REPORT,
    MEETING_MINUTES,
    REGISTRATION_FORM,
    RESULTS_NOTICE,
    UNQUALIFIED_CASE,
    DocumentKind,
)
from .pdf import html_to_pdf
from .rendering import clean, docx_render
from .report_fields import annual_report_fields, annual_report_page
from .selectors import (
    meeting_minutes_fields,
    member_for_documents,
    published_branch_for_documents,
    registration_form_fields,
    results_notice_fields,
    template_in_force,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def template_for(kind: DocumentKind, *, branch: Organization, year: int) -> bytes:
    """The template a branch's document of ``kind`` for ``year`` is filled from: its
    committee's upload for that year, else the default one."""
    uploaded = template_in_force(kind=kind.slug, branch=branch, year=year)
    if uploaded is not None:
        return bytes(uploaded.content)
    return DEFAULT_TEMPLATES[kind.slug]()


def fields_pdf(template: str, fields: dict[str, object], *, header: str) -> bytes:
    """A document's fields laid out by an HTML ``template`` (documents/pdf/…) as an
    archival PDF: the same cleaned text as its Word file."""
    cleaned = {name: clean(value) for name, value in fields.items()}
    return html_to_pdf(render_to_string(template, {"f": cleaned, "header": header}))


def registration_form_docx(*, actor: Actor, code: str, year: int) -> tuple[str, bytes]:
    """民主评议党员登记表 of member ``code`` for ``year``: (file name, .docx bytes)."""
    member = member_for_documents(actor=actor, code=code)
    fields = registration_form_fields(member=member, year=year)
    name = _("%(year)s年度民主评议党员登记表-%(name)s.docx") % {
        "year": year,
        "name": member.name,
    }
    template = template_for(REGISTRATION_FORM, branch=member.branch, year=year)
    return name, docx_render(template, fields)


def registration_form_pdf(*, actor: Actor, code: str, year: int) -> tuple[str, bytes]:
    """The same 登记表 as an archival PDF (A4, PDF/A-3b, fonts embedded)."""
    member = member_for_documents(actor=actor, code=code)
    fields = registration_form_fields(member=member, year=year)
    header = _("%(org)s · %(year)s年度") % {"org": fields["organization"], "year": year}
    name = _("%(year)s年度民主评议党员登记表-%(name)s.pdf") % {
        "year": year,
        "name": member.name,
    }
    return name, fields_pdf("documents/pdf/registration_form.html", fields, header=header)


def results_notice_docx(*, actor: Actor, code: str, year: int) -> tuple[str, bytes]:
    """党员考评结果公示 of branch ``code`` for ``year`` (published only): (name, .docx)."""
    branch = published_branch_for_documents(actor=actor, code=code, year=year)
    fields = results_notice_fields(branch=branch, year=year)
    name = _("%(branch)s%(year)s年度党员考评结果公示.docx") % {"branch": branch.name, "year": year}
    return name, docx_render(template_for(RESULTS_NOTICE, branch=branch, year=year), fields)


def results_notice_pdf(*, actor: Actor, code: str, year: int) -> tuple[str, bytes]:
    """The branch's existing print page of the notice (publication/print.html), rendered
    on the server as an archival PDF."""
    branch = published_branch_for_documents(actor=actor, code=code, year=year)
    html = render_to_string(
        "publication/print.html", notice_print_context(branch=branch, year=year)
    )
    name = _("%(branch)s%(year)s年度党员考评结果公示.pdf") % {"branch": branch.name, "year": year}
    return name, html_to_pdf(html)


def _minutes_name(fields: dict[str, object], suffix: str) -> str:
    day = str(fields["starts_at"])[:10]
    return _("会议记录-%(day)s-%(topic)s") % {"day": day, "topic": fields["topic"]} + suffix


def meeting_minutes_docx(*, actor: Actor, code: str) -> tuple[str, bytes]:
    """会议记录 of meeting ``code`` (its branch's officers and the committee)."""
    meeting = meeting_record_access_by_code(actor=actor, code=code)
    fields = meeting_minutes_fields(meeting=meeting)
    year = timezone.localtime(meeting.starts_at).year
    template = template_for(MEETING_MINUTES, branch=meeting.branch, year=year)
    return _minutes_name(fields, ".docx"), docx_render(template, fields)


def meeting_minutes_pdf(*, actor: Actor, code: str) -> tuple[str, bytes]:
    """The same record as an archival PDF."""
    meeting = meeting_record_access_by_code(actor=actor, code=code)
    fields = meeting_minutes_fields(meeting=meeting)
    year = timezone.localtime(meeting.starts_at).year
    header = _year_header(meeting.branch, year)
    pdf = fields_pdf("documents/pdf/meeting_minutes.html", fields, header=header)
    return _minutes_name(fields, ".pdf"), pdf


def _year_header(organization: Organization, year: int) -> str:
    return _("%(org)s · %(year)s年度") % {"org": organization.name, "year": year}


def annual_report_docx(*, actor: Actor, code: str, year: int) -> tuple[str, bytes]:
    """支部年度考评报告 of branch ``code`` for ``year`` (its officers and the committee)."""
    page = annual_report_page(actor=actor, code=code, year=year)
    branch = page["branch"]
    name = _("%(branch)s%(year)s年度党员考评报告.docx") % {"branch": branch.name, "year": year}
    template = template_for(ANNUAL_REPORT, branch=branch, year=year)
    return name, docx_render(template, annual_report_fields(page))


def annual_report_pdf(*, actor: Actor, code: str, year: int) -> tuple[str, bytes]:
    """The report's print page (dashboards/print_report.html) as an archival PDF."""
    page = annual_report_page(actor=actor, code=code, year=year)
    branch = page["branch"]
    pdf = html_to_pdf(render_to_string(REPORT_PAGE, page), header=_year_header(branch, year))
    name = _("%(branch)s%(year)s年度党员考评报告.pdf") % {"branch": branch.name, "year": year}
    return name, pdf


def member_ledger_pdf(*, actor: Actor, code: str, year: int) -> tuple[str, bytes]:
    """The member's scoring ledger of ``year`` (its print page) as an archival PDF: the
    member, the branch's officers and the committee."""
    page = member_ledger_page(actor=actor, code=code, year=year)
    member = page["member"]
    html = render_to_string(LEDGER_PAGE, page)
    pdf = html_to_pdf(html, header=_year_header(member.branch, year))
    name = _("%(year)s年度评分台账-%(name)s.pdf") % {"year": year, "name": member.name}
    return name, pdf


def _case_name(case, suffix: str) -> str:
    return (
        _("不合格党员处置文书-%(code)s-%(name)s") % {"code": case.code, "name": case.member.name}
        + suffix
    )


def unqualified_case_docx(*, actor: Actor, code: str) -> tuple[str, bytes]:
    """不合格党员处置文书 of case ``code`` (the bodies that act on it)."""
    case = case_for_documents(actor=actor, code=code)
    template = template_for(UNQUALIFIED_CASE, branch=case.branch, year=case.year)
    return _case_name(case, ".docx"), docx_render(template, case_documents_fields(case=case))


def unqualified_case_pdf(*, actor: Actor, code: str) -> tuple[str, bytes]:
    """The same documents as an archival PDF, in the default layout."""
    case = case_for_documents(actor=actor, code=code)
    fields = case_documents_fields(case=case)
    header = _year_header(case.branch, case.year)
    pdf = fields_pdf("documents/pdf/unqualified_case.html", fields, header=header)
    return _case_name(case, ".pdf"), pdf


def unqualified_case_file_pdf(*, actor: Actor, code: str) -> tuple[str, bytes]:
    """The case file's print page (unqualified/print.html: the facts, the evidence, the
    vote and every step of its history) as an archival PDF."""
    case = case_for_documents(actor=actor, code=code)
    context = {"case": case, "file": case_file(case=case), "printed_at": timezone.now()}
    html = render_to_string("unqualified/print.html", context)
    pdf = html_to_pdf(html, header=_year_header(case.branch, case.year))
    name = _("不合格党员处置案卷-%(code)s-%(name)s.pdf") % {
        "code": case.code,
        "name": case.member.name,
    }
    return name, pdf
