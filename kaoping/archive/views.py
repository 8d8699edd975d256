"""Archive pages: a member's archive and its forms, a branch roster with its spreadsheets,
the 12371 export and the list of lost-contact members. Thin: selectors read, services write."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaoping.jobs.imports import branch_import_views
from kaoping.kit.answers import form_done as _done
from kaoping.kit.answers import form_page as _form_page
from kaoping.kit.forms import errors_on
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import branch_for_staff, organization_access_by_code, scope_for

from . import exports, selectors, services
from .background import ROSTER_IMPORT
from .forms import (
    ExemptionForm,
    FoundForm,
    ImportForm,
    InvestigationDecideForm,
    InvestigationStartForm,
    LostContactForm,
    ProfileForm,
    TransferForm,
)
from .models import PROFILE_FIELDS, MemberProfile


def _archive_url(member: Member) -> str:
    return reverse("archive:member", args=[member.code])


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # personal data: never in a shared cache
    return response


# --------------------------------------------------------------------------- member archive


@login_required
@require_GET
def member_archive(request, code: str):
    actor = request.user
    member = selectors.member_for_archive(actor=actor, code=code)
    archive = selectors.member_archive(actor=actor, member=member)
    context = {
        "member": member,
        "archive": archive,
        "fields": [(f, member_profile_label(f), archive.values[f]) for f in PROFILE_FIELDS],
        "can_manage": scope_for(actor).manages(member.branch.path),
        "open_lost": selectors.open_lost_contact(member),
        "open_investigation": selectors.open_investigation(member),
    }
    return render(request, "archive/member.html", context)


def member_profile_label(field: str) -> str:
    return str(MemberProfile._meta.get_field(field).verbose_name)


def _member_form_view(request, code, *, form_class, title, submit, save, form_kwargs=None):
    """A manager's form about one member: shown, checked, saved by ``save(member, data)``."""
    actor = request.user
    member = selectors.member_for_archive(actor=actor, code=code, manage=True)
    back = _archive_url(member)
    form = form_class(request.POST or None, **(form_kwargs or {}))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with errors_on(form):
                message = save(member, form.cleaned_data)
                return _done(request, back, message)
        status = 400
    return _form_page(
        request,
        title=title % {"name": member.name},
        form=form,
        action=request.path,
        back=back,
        submit=submit,
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, code: str):
    actor = request.user
    member = selectors.member_for_archive(actor=actor, code=code, manage=True)
    archive = selectors.member_archive(actor=actor, member=member)
    initial = {"name": member.name, "membership": member.membership, **archive.values}
    if archive.profile is not None:
        initial["gender"] = archive.profile.gender

    def save(m, data):
        services.member_profile_update(actor=actor, member=m, values=data)
        return _("已保存 %(name)s 的基本信息。") % {"name": m.name}

    return _member_form_view(
        request,
        code,
        form_class=ProfileForm,
        title=_("基本信息：%(name)s"),
        submit=_("保存"),
        save=save,
        form_kwargs={"initial": initial},
    )


def _member_action(service, form_class, form_kwargs=None):
    """The view of a manager's form about one member whose fields are the arguments of
    ``service``; the form's ``page`` names its title, button and message (each with the
    member's name as ``%(name)s``), ``form_kwargs()`` what the form needs besides the data."""
    title, submit, done = form_class.page

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request, code: str):
        def save(m, data):
            service(actor=request.user, member=m, **data)
            return done % {"name": m.name}

        kwargs = form_kwargs() if form_kwargs else None
        return _member_form_view(
            request,
            code,
            form_class=form_class,
            title=title,
            submit=submit,
            save=save,
            form_kwargs=kwargs,
        )

    view.__name__ = view.__qualname__ = service.__name__.removeprefix("member_")
    return view


def _transfer_form_kwargs() -> dict:
    return {"branches": selectors.transfer_branches(), "initial": {"date": timezone.localdate()}}


def _found_form_kwargs() -> dict:
    return {"initial": {"found_on": timezone.localdate()}}


transfer = _member_action(services.member_transfer, TransferForm, _transfer_form_kwargs)
lost_contact_mark = _member_action(services.member_lost_contact_mark, LostContactForm)
found = _member_action(services.member_found, FoundForm, _found_form_kwargs)
investigation_start = _member_action(services.member_investigation_start, InvestigationStartForm)
investigation_decide = _member_action(services.member_investigation_decide, InvestigationDecideForm)


@login_required
@require_http_methods(["GET", "POST"])
def exemption_add(request, code: str):
    actor = request.user
    member = selectors.member_for_archive(actor=actor, code=code, manage=True)
    items = selectors.exemption_items()

    def save(m, data):
        services.exemption_add(
            actor=actor,
            member=m,
            item_code=data["item"].code,
            reason=data["reason"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )
        return _("%(name)s 已免于“%(item)s”。") % {"name": m.name, "item": data["item"].name}

    return _member_form_view(
        request,
        member.code,
        form_class=ExemptionForm,
        title=_("免于考评的指标：%(name)s"),
        submit=_("保存"),
        save=save,
        form_kwargs={"items": items},
    )


@login_required
@require_POST
def exemption_remove(request, pk: int):
    actor = request.user
    exemption = selectors.exemption_access_by_id(actor=actor, id=pk)
    member = exemption.member
    services.exemption_remove(actor=actor, exemption=exemption)
    return _done(request, _archive_url(member), _("已取消该项免于考评。"))


# --------------------------------------------------------------------------- branch roster


def _roster_url(branch) -> str:
    return reverse("archive:roster", args=[branch.code])


@login_required
@require_GET
def roster(request, code: str):
    actor = request.user
    branch = branch_for_staff(actor=actor, code=code)
    context = {
        "branch": branch,
        "lines": selectors.roster_lines(actor=actor, org=branch),
        "can_manage": scope_for(actor).manages(branch.path),
        "full": selectors.organization_full_for(actor=actor, org=branch),
        "import_form": ImportForm(),
    }
    return render(request, "archive/roster.html", context)


@login_required
@require_GET
def branch_exemptions(request, code: str):
    """Who in the branch is exempt from what (loaded into the branch page by htmx)."""
    actor = request.user
    branch = branch_for_staff(actor=actor, code=code)
    context = {
        "branch": branch,
        "exemptions": selectors.branch_exemptions(actor=actor, branch=branch),
    }
    template = "archive/_exemptions.html" if request.htmx else "archive/exemptions.html"
    return render(request, template, context)


@login_required
@require_GET
def roster_export(request, code: str):
    actor = request.user
    branch = branch_for_staff(actor=actor, code=code)
    lines = selectors.roster_lines(actor=actor, org=branch)
    return _xlsx(exports.roster_export(lines, branch.name), f"roster-{branch.code}.xlsx")


@login_required
@require_GET
def roster_template(request):
    if not scope_for(request.user).is_staff_role:
        raise PermissionDenied(_("只有党组织工作人员可以下载花名册模板。"))
    return _xlsx(exports.roster_template(), "roster-template.xlsx")


roster_import_views = branch_import_views(
    ROSTER_IMPORT,
    back=lambda request, branch: _roster_url(branch),
    confirm="archive:roster_import_confirm",
)


# --------------------------------------------------------------------------- committee


@login_required
@require_GET
def export_12371(request, code: str):
    """The 12371 sheet of an organisation's subtree: only for roles that see full data."""
    actor = request.user
    org = organization_access_by_code(actor=actor, code=code)
    if not scope_for(actor).reads(org.path):
        raise Http404(_("找不到这个党组织。"))
    if not selectors.organization_full_for(actor=actor, org=org):
        raise PermissionDenied(_("12371 导出只供党工委和组织部使用。"))
    lines = selectors.roster_lines(actor=actor, org=org)
    lost = selectors.lost_since(actor=actor, org=org)
    return _xlsx(exports.export_12371(lines, lost), f"12371-{org.code}.xlsx")


@login_required
@require_GET
def lost_contacts(request):
    actor = request.user
    rows = selectors.lost_contacts_open(actor=actor)
    return render(request, "archive/lost_contacts.html", {"rows": rows})
