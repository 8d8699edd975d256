"""文书模板: the committee admins' page of templates, each kind's fields and default,
uploads per year and their history."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kaoping.kit.answers import form_page_again, form_saved

from . import selectors, services
from .answers import docx_answer
from .default_templates import DEFAULT_TEMPLATES
from .forms import TemplateUploadForm
from .kinds import KINDS


@login_required
@require_http_methods(["GET", "POST"])
def templates(request):
    actor = request.user
    selectors.templates_required(actor=actor)
    organizations = selectors.template_organizations(actor=actor)
    form = TemplateUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        organizations=organizations,
    )

    def save(data):
        upload = data["file"]
        services.document_template_upload(
            actor=actor,
            organization=data["organization"],
            kind=data["kind"],
            year=data["year"],
            filename=upload.name,
            content=upload.read(),
        )
        return reverse("documents:templates"), _("模板已上传，本年度的文书将按它生成。")

    saved = form_saved(request, form, save)
    if saved is not None:
        return saved
    context = {
        "kinds": list(KINDS.values()),
        "uploads": list(selectors.templates_visible(actor=actor)[:200]),
        "form": form,
    }
    return form_page_again(request, "documents/templates.html", context)


@login_required
@require_GET
def default_template(request, kind: str):
    selectors.templates_required(actor=request.user)
    if kind not in DEFAULT_TEMPLATES:
        raise Http404(_("没有这种文书。"))
    name = _("%(title)s（默认模板）.docx") % {"title": KINDS[kind].title}
    return docx_answer(name, DEFAULT_TEMPLATES[kind]())


@login_required
@require_GET
def template_file(request, pk: int):
    row = selectors.template_access_by_id(actor=request.user, pk=pk)
    return docx_answer(row.filename, bytes(row.content))
