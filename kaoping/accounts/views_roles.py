"""An organisation's roles page (角色): who holds which role there, granting and revoking
(``orgs.roles``); supervisors are granted on their group's page."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kaoping.kit.answers import form_done
from kaoping.kit.forms import errors_on
from kaoping.orgs.models import Organization, RoleAssignment
from kaoping.orgs.roles import (
    GROUP_ROLES,
    role_grant,
    role_grant_check,
    role_revoke,
    role_revoke_consequences,
    role_revoke_refusal,
    roles_offered,
)
from kaoping.orgs.selectors import (
    organization_for_roles,
    person_for_grant,
    role_access_by_id,
    roles_held,
)

Role = RoleAssignment.Role
PERSON_MAX = 150


class RoleGrantForm(forms.Form):
    person = forms.CharField(
        label=gettext_lazy("人员"),
        max_length=PERSON_MAX,
        help_text=gettext_lazy("党员编号或用户名"),
    )
    # Any role is accepted here; the service refuses (403) what the actor may not grant.
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=Role.choices)

    def __init__(self, *args, offered: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].widget.choices = [(r, Role(r).label) for r in offered]


def _groups(organization: Organization, assignments) -> list[tuple[str, list]]:
    by_role: dict[str, list] = {r: [] for r in Role.values}
    for a in assignments:
        by_role[a.role].append(a)
    return [(Role(r).label, rows) for r, rows in by_role.items()]


def _page(request, organization, form, status=200):
    actor = request.user
    assignments = list(roles_held(actor=actor, organization=organization))
    offered = set(roles_offered(actor=actor, organization=organization))
    for a in assignments:
        a.revocable = a.role not in GROUP_ROLES and (
            a.role in offered or _may(actor, a.organization, a.role)
        )
    context = {
        "organization": organization,
        "groups": _groups(organization, assignments),
        "form": form,
    }
    return render(request, "accounts/roles.html", context, status=status)


def _may(actor, organization, role) -> bool:
    try:
        role_grant_check(actor, organization, role)
    except PermissionDenied:
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def roles(request, code: str):
    actor = request.user
    if request.method == "GET":
        organization = organization_for_roles(actor=actor, code=code)
        offered = roles_offered(actor=actor, organization=organization)
        form = RoleGrantForm(offered=offered) if offered else None
        return _page(request, organization, form)
    # A grant beyond the actor's rights is a 403 (nothing changed), wherever it aims.
    organization = Organization.objects.filter(code=code).first()
    if organization is None:
        raise Http404(_("找不到这个党组织。"))
    role = request.POST.get("role", "")
    offered = roles_offered(actor=actor, organization=organization)
    if role in Role.values and role not in GROUP_ROLES:
        role_grant_check(actor, organization, role)
    elif not offered:
        raise PermissionDenied(_("您无权在 %(org)s 授予角色。") % {"org": organization.name})
    form = RoleGrantForm(request.POST, offered=offered)
    if role in GROUP_ROLES:
        form.add_error("role", _("专项督查组成员请在督查组页面添加。"))
    elif form.is_valid():
        with errors_on(form):
            user = person_for_grant(actor=actor, person=form.cleaned_data["person"])
            role_grant(actor=actor, user=user, organization=organization, role=role)
            return form_done(
                request,
                reverse("accounts:roles", args=[organization.code]),
                _("已授予 %(user)s “%(role)s”角色。")
                % {"user": user.username, "role": Role(role).label},
            )
    return _page(request, organization, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def role_revoke_view(request, code: str, pk: int):
    actor = request.user
    organization = organization_for_roles(actor=actor, code=code)
    assignment = role_access_by_id(actor=actor, pk=pk)
    if not assignment.organization.path.startswith(organization.path):
        raise Http404(_("找不到这项角色授权。"))
    role_grant_check(actor, assignment.organization, assignment.role)
    back = reverse("accounts:roles", args=[organization.code])
    refusal = role_revoke_refusal(actor=actor, assignment=assignment)
    if assignment.role in GROUP_ROLES:
        refusal = _("专项督查组成员请在督查组页面移除。")
    if request.method == "POST" and request.POST.get("confirm") and not refusal:
        try:
            role_revoke(actor=actor, assignment=assignment)
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            return form_done(
                request,
                back,
                _("已撤销 %(user)s 的“%(role)s”角色。")
                % {"user": assignment.user.username, "role": assignment.get_role_display()},
            )
    context = {
        "title": _("撤销角色：%(user)s，%(org)s 的%(role)s")
        % {
            "user": assignment.user.username,
            "org": assignment.organization.name,
            "role": assignment.get_role_display(),
        },
        "consequences": role_revoke_consequences(assignment=assignment),
        "refusal": refusal,
        "action": request.path,
        "back": back,
        "submit": _("确认撤销"),
    }
    status = 400 if request.method == "POST" and refusal else 200
    return render(request, "web/confirm.html", context, status=status)
