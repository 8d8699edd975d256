"""A document as a file (生成文书): the kind's template filled with the fields its reader
may see. Pages, the API and (later) the year's archive call these."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.orgs.models import Organization
from kaoping.publication.selectors import notice_print_context

from .default_templates import DEFAULT_TEMPLATES
from .kinds import REGISTRATION_FORM, RESULTS_NOTICE, DocumentKind
from .pdf import html_to_pdf
from .rendering import clean, docx_render
from .selectors import (
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
    fields = {
        name: clean(value)
        for name, value in registration_form_fields(member=member, year=year).items()
    }
    header = _("%(org)s · %(year)s年度") % {"org": fields["organization"], "year": year}
    html = render_to_string("documents/pdf/registration_form.html", {"f": fields, "header": header})
    name = _("%(year)s年度民主评议党员登记表-%(name)s.pdf") % {
        "year": year,
        "name": member.name,
    }
    return name, html_to_pdf(html)


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
