"""Supervision pages: the groups, a group's register (督查台账), one inspection."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaoping.kit.answers import form_done as _done
from kaoping.kit.answers import form_page_again, form_saved, frozen_refusal
from kaoping.ops.files import upload_answer
from kaoping.orgs.models import Organization
from kaoping.orgs.selectors import person_for_grant, scope_for
from kaoping.schemes.selectors import frozen_notice

from . import selectors, services
from .forms import FindingForm, GroupForm, GroupMemberForm, InspectionForm


@login_required
@require_http_methods(["GET", "POST"])
def groups(request):
    actor = request.user
    is_admin = scope_for(actor).is_scheme_admin
    visible = selectors.groups_for_staff(actor=actor)
    if request.method == "POST" and not is_admin:
        raise PermissionDenied(_("只有党工委管理员可以建立督查组。"))
    form = None
    if is_admin:
        form = GroupForm(
            request.POST if request.method == "POST" else None,
            users=selectors.supervisor_candidates(),
        )

    def create(d):
        chosen = {"users": list(d["users"]), "organizations": list(d["organizations"])}
        group = services.group_create(actor=actor, name=d["name"], **chosen)
        return reverse("inspections:group", args=[group.code]), _("已设立督查组。")

    if form is not None and (answer := form_saved(request, form, create)):
        return answer
    context = {
        "groups": list(visible.prefetch_related("organizations")),
        "form": form,
    }
    return form_page_again(request, "inspections/groups.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_register(request, code: str):
    actor = request.user
    group = selectors.group_access_by_code(actor=actor, code=code)
    paths = selectors.group_paths(group)
    organizations = Organization.objects.filter(path__in=paths).order_by("path")
    form = InspectionForm(
        request.POST if request.method == "POST" else None, organizations=organizations
    )

    def record(d):
        inspection = services.inspection_record(actor=actor, group=group, **d)
        done = _("已记录对 %(org)s 的督查。") % {"org": inspection.organization.name}
        return reverse("inspections:detail", args=[inspection.code]), done

    if answer := form_saved(request, form, record):
        return answer
    if request.method == "POST" and not form.is_valid():
        services._require_recorder(actor, group)
    status = 400 if request.method == "POST" else 200
    return _register_page(request, group, organizations, form, status=status)


def _register_page(request, group, organizations, form, member_form=None, status=200):
    actor = request.user
    is_admin = scope_for(actor).is_scheme_admin
    if is_admin and member_form is None:
        member_form = GroupMemberForm()
    context = {
        "group": group,
        "organizations": organizations,
        "inspections": selectors.group_register(actor=actor, group=group),
        "form": form,
        "members": list(group.users.select_related("member").order_by("username")),
        "member_form": member_form if is_admin else None,
    }
    return render(request, "inspections/register.html", context, status=status)


def _admin_group(request, code: str):
    group = selectors.group_access_by_code(actor=request.user, code=code)
    services._require_admin(request.user)
    return group


@login_required
@require_POST
def group_member_add(request, code: str):
    """Add a member to the group: they get the supervisor role over its organisations."""
    actor = request.user
    group = _admin_group(request, code)
    form = GroupMemberForm(request.POST)

    def add(d):
        user = person_for_grant(actor=actor, person=d["person"])
        services.group_member_add(actor=actor, group=group, user=user)
        added = _("已将 %(user)s 加入督查组。") % {"user": user.username}
        return reverse("inspections:group", args=[group.code]), added

    if answer := form_saved(request, form, add):
        return answer
    organizations = Organization.objects.filter(path__in=selectors.group_paths(group))
    return _register_page(
        request,
        group,
        organizations.order_by("path"),
        InspectionForm(organizations=organizations),
        member_form=form,
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_member_remove(request, code: str, pk: int):
    """Remove a member (confirmed first): their supervisor role over the group's
    organisations goes too, where no other group of theirs covers them."""
    actor = request.user
    group = _admin_group(request, code)
    user = group.users.filter(pk=pk).first()
    if user is None:
        raise Http404(_("督查组中没有这名成员。"))
    back = reverse("inspections:group", args=[group.code])
    if request.method == "POST" and request.POST.get("confirm"):
        services.group_member_remove(actor=actor, group=group, user=user)
        return _done(request, back, _("已将 %(user)s 移出督查组。") % {"user": user.username})
    context = {
        "title": _("移出督查组：%(user)s") % {"user": user.username},
        "consequences": [
            _("%(user)s 不再是督查组“%(group)s”的成员，不能再为它记录督查。")
            % {"user": user.username, "group": group.name},
            _("%(user)s 在本组督查对象上的专项督查组成员角色随之撤销（其他督查组仍负责的除外）。")
            % {"user": user.username},
            _("%(user)s 会收到通知；这次变动记入审计日志。") % {"user": user.username},
        ],
        "action": request.path,
        "back": back,
        "submit": _("确认移出"),
    }
    return render(request, "web/confirm.html", context)


def _finding_form(inspection, data=None, files=None):
    members, items = selectors.finding_choices(inspection=inspection)
    return FindingForm(data, files, members=members, items=items)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_detail(request, code: str):
    actor = request.user
    inspection = selectors.inspection_access_by_code(actor=actor, code=code)
    # The inspected organisation's year is final: no finding form, the notice says why (a
    # finding of a member whose own branch is final is refused by the service).
    notice = frozen_notice(year=inspection.date.year, branch=inspection.organization)
    if request.method == "POST" and notice is not None:  # posted from an older page
        services._require_recorder(actor, inspection.group)
        return frozen_refusal(
            request, notice, reverse("inspections:detail", args=[inspection.code])
        )
    if notice is not None:
        form = None
    elif request.method == "POST":
        form = _finding_form(inspection, request.POST, request.FILES)

        def record(d):
            entry = services.finding_record(actor=actor, inspection=inspection, **d).entry
            recorded = _("已记录督查发现，台账记录 %(code)s。") % {"code": entry.code}
            return reverse("inspections:detail", args=[inspection.code]), recorded

        if answer := form_saved(request, form, record):
            return answer
        if not form.is_valid():
            services._require_recorder(actor, inspection.group)
    else:
        form = _finding_form(inspection)
    context = {
        "frozen_notice": notice,
        "inspection": inspection,
        "group": inspection.group,
        "findings": selectors.inspection_findings(inspection=inspection),
        "form": form,
    }
    return form_page_again(request, "inspections/inspection.html", context)


@login_required
@require_GET
def finding_file(request, pk: int):
    finding = selectors.finding_access(actor=request.user, finding_id=pk)
    return upload_answer(finding.evidence_file, missing=_("找不到这份证据材料。"))
