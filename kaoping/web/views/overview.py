"""The district's pages: the landing redirect, the overview of every visible branch with
the organisations the committee keeps, and the audit log."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaoping.audit.actions import AUDIT_ACTIONS
from kaoping.kit.answers import form_done as _done
from kaoping.kit.answers import form_page as _form_page
from kaoping.kit.forms import errors_on
from kaoping.kit.tables import Column, Filter, TableSpec, table
from kaoping.onboarding.selectors import setup_needed
from kaoping.orgs.selectors import (
    organization_access_by_code,
    scope_for,
    staff_required,
    tree_admin_required,
)
from kaoping.orgs.services import organization_add, organization_upsert
from kaoping.schemes.selectors import scheme_chosen, scheme_years

from .. import selectors
from ..forms import (
    OrganizationForm,
)
from ..no_access import no_access_page


@login_required
def home(request):
    if setup_needed(actor=request.user):  # an empty installation: the guided start first
        return redirect("onboarding:start")
    scope = scope_for(request.user)
    if scope.is_staff_role or scope.member_id is not None:
        return redirect("workbench:home")  # each person's home: what waits for them (工作台)
    return no_access_page(request)


def _overview_page(request, *, org_form=None):
    actor = request.user
    staff_required(actor=actor)
    scheme = scheme_chosen(request.GET.get("year"))
    is_admin = scope_for(actor).is_scheme_admin
    if is_admin and org_form is None:
        org_form = OrganizationForm(parents=selectors.parent_choices(actor=actor))
    context = {
        "scheme": scheme,
        "years": scheme_years(),
        "rows": selectors.overview_rows(actor=actor, scheme=scheme),
        "grades": ["excellent", "qualified", "basic", "warning", "pending", "deferred"],
        "is_admin": is_admin,
        "organizations": selectors.organizations_for_admin(actor=actor) if is_admin else [],
        "org_form": org_form if is_admin else None,
    }
    return render(request, "web/overview.html", context)


@login_required
@require_GET
def overview(request):
    return _overview_page(request)


def _org_save(request, form, *, code: str, service=organization_upsert):
    data = form.cleaned_data
    return service(
        actor=request.user,
        code=code,
        name=data["name"],
        kind=data["kind"],
        parent=data["parent"],
        category=data["category"],
    )


@login_required
@require_POST
def organization_create(request):
    actor = request.user
    staff_required(actor=actor)
    tree_admin_required(actor=actor)
    form = OrganizationForm(request.POST, parents=selectors.parent_choices(actor=actor))
    if form.is_valid():
        with errors_on(form):
            org = _org_save(request, form, code=form.cleaned_data["code"], service=organization_add)
            return _done(
                request, reverse("web:overview"), _("已添加组织 %(name)s。") % {"name": org.name}
            )
    return _overview_page(request, org_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, code: str):
    actor = request.user
    org = organization_access_by_code(actor=actor, code=code, manage=True)
    tree_admin_required(actor=actor)
    initial = {
        "code": org.code,
        "name": org.name,
        "kind": org.kind,
        "parent": org.parent_id,
        "category": org.category,
    }
    parents = selectors.parent_choices(actor=actor).exclude(path__startswith=org.path)
    form = OrganizationForm(request.POST or None, initial=initial, parents=parents, editing=True)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            _org_save(request, form, code=org.code)
            return _done(
                request, reverse("web:overview"), _("已保存组织 %(name)s。") % {"name": org.name}
            )
    return _form_page(
        request,
        title=_("编辑组织：%(name)s") % {"name": org.name},
        form=form,
        action=reverse("web:organization_edit", args=[org.code]),
        back=reverse("web:overview"),
        submit=_("保存"),
    )


def _action_choices() -> list[tuple[str, str]]:
    """Each kind of record ("entry.", any of its actions) and then each action."""
    groups = sorted({a.split(".", 1)[0] + "." for a in AUDIT_ACTIONS if "." in a})
    return [(g, g + "*") for g in groups] + [(a, a) for a in sorted(AUDIT_ACTIONS)]


# The audit log: the newest first, filtered by action (a kind of record or one action),
# searched by who, what record, or the note.
AUDIT_TABLE = TableSpec(
    columns=(
        Column("at", _lazy("时间"), order=("at",)),
        Column("actor", _lazy("操作人"), order=("actor__username",)),
        Column("action", _lazy("操作"), order=("action",)),
        Column("target", _lazy("对象"), order=("target_type", "target_id")),
        Column("before", _lazy("变更前")),
        Column("after", _lazy("变更后")),
        Column("note", _lazy("说明")),
    ),
    default_sort="-at",
    search=("actor__username", "action", "target_type", "target_id", "note"),
    search_label=_lazy("操作人、对象、说明"),
    filters=(Filter("action", _lazy("操作"), _action_choices(), lookup="action__startswith"),),
)


@require_GET
@login_required
def audit_log(request):
    """The audit log (审计日志): committee admins only; 404 for everyone else."""
    if not scope_for(request.user).is_scheme_admin:
        raise Http404
    from kaoping.audit.selectors import audit_events_visible

    t = table(request, audit_events_visible(actor=request.user), AUDIT_TABLE)
    return render(request, "web/audit.html", {"t": t})
