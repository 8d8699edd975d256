"""The server-rendered pages. Views are thin: reads go through selectors that take the
actor, writes through services; a form with bad input is shown again with its messages,
a good one redirects (and, asked by htmx, the browser is told where to go)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaoping.evaluation.selectors import quota_standing, round_years
from kaoping.evaluation.services import (
    quota_decision_record,
    tally_direct_refusal,
    tally_set,
)
from kaoping.kit.answers import form_answer
from kaoping.kit.answers import form_done as _done
from kaoping.kit.answers import form_page as _form_page
from kaoping.kit.answers import next_url as _next_url
from kaoping.kit.forms import apply_service_error
from kaoping.ledger.selectors import entries_visible, entry_access_by_code
from kaoping.ledger.services import entry_record, entry_reverse
from kaoping.onboarding.selectors import setup_needed
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import (
    branch_for_staff,
    branches_visible,
    member_access_by_code,
    organization_access_by_code,
    scope_for,
    staff_required,
)
from kaoping.orgs.services import member_upsert, organization_upsert
from kaoping.schemes.models import Scheme
from kaoping.schemes.selectors import frozen_notice, scheme_chosen, scheme_items, scheme_years
from kaoping.schemes.services import scheme_create, scheme_item_upsert, scheme_update
from kaoping.scoring.selectors import branch_live, results_stamps

from . import selectors
from .caching import page_body, scope_key
from .forms import (
    DecisionForm,
    EntryForm,
    MemberForm,
    OrganizationForm,
    ReverseForm,
    SchemeCreateForm,
    SchemeItemForm,
    SchemeSettingsForm,
    TallyForm,
)
from .no_access import has_no_access, no_access_page

RECENT_ENTRIES = 30


# --------------------------------------------------------------------------- helpers


def _year_param(request) -> str | None:
    return request.POST.get("year") or request.GET.get("year")


def _with_year(url: str, scheme: Scheme | None) -> str:
    return f"{url}?year={scheme.year}" if scheme is not None else url


# --------------------------------------------------------------------------- home


@login_required
def home(request):
    if setup_needed(actor=request.user):  # an empty installation: the guided start first
        return redirect("onboarding:start")
    scope = scope_for(request.user)
    if scope.is_staff_role:
        branches = list(branches_visible(actor=request.user).order_by("path")[:2])
        if len(branches) == 1:
            return redirect("web:branch", code=branches[0].code)
        return redirect("web:overview")
    if scope.member_id is not None:
        return redirect("web:me")
    return no_access_page(request)


# --------------------------------------------------------------------------- member page


def _member_page(request, member: Member):
    actor = request.user
    scope = scope_for(actor)
    can_manage = scope.manages(member.branch.path)
    is_self = scope.member_id == member.id
    stamp = results_stamps(branch_ids=[member.branch_id])[member.branch_id]
    scheme = scheme_chosen(request.GET.get("year"))
    # A frozen year offers no reversal links; reopening changes no stamp: in the key.
    notice = (
        frozen_notice(year=scheme.year, branch=member.branch)
        if scheme is not None and can_manage
        else None
    )

    def body_context() -> dict:
        result = entries = None
        if scheme is not None:
            live = branch_live(scheme=scheme, branch=member.branch, stamp=stamp)
            result = next((r for r in live.results if r.member == member.code), None)
            entries = entries_visible(actor=actor, year=scheme.year, member=member).order_by(
                "date", "id"
            )
        bonus_counted = None
        if result is not None and result.bonus is not None:
            bonus_counted = min(result.bonus, scheme.bonus_cap)
        return {
            "member": member,
            "scheme": scheme,
            "years": scheme_years(),
            "result": result,
            "bonus_counted": bonus_counted,
            "entries": entries,
            "can_manage": can_manage,
            "frozen_notice": notice,
            "is_self": is_self,
        }

    # The workflow apps' hooks in the body decide by the viewer's roles: the scope is in
    # the key.
    body = page_body(
        request,
        template="web/_member_body.html",
        key=[member.pk, stamp, scope_key(scope), notice is not None],
        context=body_context,
    )
    return render(request, "web/member.html", {"member": member, "body": body})


@login_required
@require_GET
def me(request):
    if has_no_access(request.user):
        return no_access_page(request)
    return _member_page(request, selectors.member_own(actor=request.user))


@login_required
@require_GET
def member_detail(request, code: str):
    return _member_page(request, selectors.member_for_page(actor=request.user, code=code))


# --------------------------------------------------------------------------- branch page


def _entry_form(request, branch, scheme: Scheme, data=None) -> EntryForm:
    return EntryForm(
        data,
        members=selectors.branch_members_assessed(actor=request.user, branch=branch),
        items=selectors.scheme_items_for_branch(scheme=scheme, branch=branch),
        scheme=scheme,
        initial={"occurrences": 1},
    )


def _branch_page(request, branch, choose_scheme, *, entry_form=None, member_form=None):
    """``choose_scheme()`` gives the year's scheme. A frozen year (finalised) shows no
    entry form, reversal or tally links, and says why at the top."""
    actor = request.user
    can_manage = scope_for(actor).manages(branch.path)
    stamp = results_stamps(branch_ids=[branch.pk])[branch.pk]
    scheme = choose_scheme()
    # Reopening a year changes no result (no stamp): the frozen state is in the key.
    notice = frozen_notice(year=scheme.year, branch=branch) if scheme is not None else None
    if notice is not None:
        entry_form = None
    # A form shown again with its errors is not the page everybody else gets.
    with_errors = entry_form is not None or member_form is not None

    def body_context(entry_form=entry_form, member_form=member_form) -> dict:
        members = selectors.branch_members(actor=actor, branch=branch)
        by_code = {m.code: m for m in members}
        rows, entries = [], []
        if scheme is not None:
            results, tallies, decisions = selectors.branch_page_results(
                scheme=scheme, branch=branch, stamp=stamp
            )
            rows = [
                {
                    "result": r,
                    "member": by_code[r.member],
                    "tally": tallies.get(r.member),
                    "decision": decisions.get(r.member),
                }
                for r in results
                if r.member in by_code
            ]
            entries = list(
                entries_visible(actor=actor, year=scheme.year)
                .filter(member__branch=branch)
                .order_by("-recorded_at", "-id")[:RECENT_ENTRIES]
            )
            if can_manage and entry_form is None and notice is None:
                entry_form = _entry_form(request, branch, scheme)
        # The 计票 link only where counts may be typed in (no round, a year already over).
        direct_tally = (
            can_manage
            and scheme is not None
            and tally_direct_refusal(year=scheme.year, branch=branch) is None
        )
        if can_manage and member_form is None:
            member_form = MemberForm()
        return {
            "branch": branch,
            "scheme": scheme,
            "years": scheme_years(),
            "rows": rows,
            "members": members,
            "entries": entries,
            "can_manage": can_manage,
            "frozen_notice": notice,
            "direct_tally": direct_tally,
            "pending": [row["member"] for row in rows if row["result"].grade == "pending"],
            "entry_form": entry_form if can_manage else None,
            "member_form": member_form if can_manage else None,
        }

    if with_errors:
        body = mark_safe(  # noqa: S308 - our own autoescaped template
            render_to_string("web/_branch_body.html", body_context(), request=request)
        )
    else:
        body = page_body(
            request,
            template="web/_branch_body.html",
            # Opening a round (or a new calendar year) changes who may type in counts.
            key=[
                branch.pk,
                stamp,
                can_manage,
                notice is not None,
                round_years(branch=branch),
                timezone.localdate().year,
            ],
            context=body_context,
        )
    return render(request, "web/branch.html", {"branch": branch, "body": body})


@login_required
@require_GET
def branch_detail(request, code: str):
    branch = branch_for_staff(actor=request.user, code=code)
    return _branch_page(request, branch, lambda: scheme_chosen(request.GET.get("year")))


@login_required
@require_POST
def entry_create(request, code: str):
    actor = request.user
    branch = branch_for_staff(actor=actor, code=code, manage=True)
    scheme = scheme_chosen(_year_param(request))
    if scheme is None:
        raise Http404(_("所选年度还没有考评方案。"))
    notice = frozen_notice(year=scheme.year, branch=branch)
    if notice is not None:  # posted from a page older than the finalisation
        messages.error(request, notice)
        return redirect(_with_year(reverse("web:branch", args=[branch.code]), scheme))
    form = _entry_form(request, branch, scheme, data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = entry_record(
                actor=actor,
                member=data["member"],
                item=data["item"],
                date=data["date"],
                occurrences=data["occurrences"],
                note=data["note"],
                evidence=data["evidence"],
            )
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            url = _with_year(reverse("web:branch", args=[branch.code]), scheme)
            return _done(
                request,
                url,
                _("已为 %(name)s 记录“%(item)s”。")
                % {"name": entry.member.name, "item": entry.item.name},
            )
    return _branch_page(request, branch, lambda: scheme, entry_form=form)


@login_required
@require_POST
def member_create(request, code: str):
    actor = request.user
    branch = branch_for_staff(actor=actor, code=code, manage=True)
    scheme = scheme_chosen(_year_param(request))
    form = MemberForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            member = member_upsert(
                actor=actor,
                code=data["code"],
                name=data["name"],
                branch=branch,
                status=data["status"],
                membership=data["membership"],
            )
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            url = _with_year(reverse("web:branch", args=[branch.code]), scheme)
            return _done(request, url, _("已添加党员 %(name)s。") % {"name": member.name})
    return _branch_page(request, branch, lambda: scheme, member_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, code: str):
    actor = request.user
    member = member_access_by_code(actor=actor, code=code, manage=True)
    back = _next_url(request, reverse("web:branch", args=[member.branch.code]))
    initial = {
        "code": member.code,
        "name": member.name,
        "status": member.status,
        "membership": member.membership,
    }
    form = MemberForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member_upsert(
                actor=actor,
                code=member.code,
                name=data["name"],
                branch=member.branch,
                status=data["status"],
                membership=data["membership"],
            )
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            return _done(request, back, _("已保存党员 %(code)s 的信息。") % {"code": member.code})
    return _form_page(
        request,
        title=_("编辑党员：%(name)s") % {"name": member.name},
        form=form,
        action=reverse("web:member_edit", args=[member.code]),
        back=back,
        submit=_("保存"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_reverse_view(request, code: str):
    actor = request.user
    entry = entry_access_by_code(actor=actor, code=code, manage=True)
    back = _next_url(
        request, f"{reverse('web:branch', args=[entry.member.branch.code])}?year={entry.year}"
    )
    notice = frozen_notice(year=entry.year, branch=entry.member.branch)
    if notice is not None:
        messages.error(request, notice)
        return redirect(back)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry_reverse(actor=actor, entry=entry, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            return _done(request, back, _("已冲销记录 %(code)s。") % {"code": entry.code})
    return _form_page(
        request,
        title=_("冲销记录 %(code)s") % {"code": entry.code},
        form=form,
        action=reverse("web:entry_reverse", args=[entry.code]),
        back=back,
        submit=_("确认冲销"),
        entry=entry,
        intro=_("台账只增不改：冲销会新增一条记录抵消原记录，原记录保留。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def tally_edit(request, code: str):
    actor = request.user
    member = member_access_by_code(actor=actor, code=code, manage=True)
    scheme = scheme_chosen(_year_param(request))
    if scheme is None:
        raise Http404(_("所选年度还没有考评方案。"))
    back = _next_url(request, _with_year(reverse("web:branch", args=[member.branch.code]), scheme))
    current = selectors.member_tallies(actor=actor, member=member, year=scheme.year)
    form = TallyForm(request.POST or None, initial=current)
    refusal = tally_direct_refusal(year=scheme.year, branch=member.branch)
    if refusal is not None:
        # Said at once, before anyone types counts in; a POST changes nothing either.
        return render(
            request,
            "web/_notice.html" if request.htmx else "web/notice_page.html",
            {
                "title": _("%(year)s 年度民主测评计票：%(name)s")
                % {"year": scheme.year, "name": member.name},
                "message": refusal,
                "back": back,
            },
        )
    if request.method == "POST" and form.is_valid():
        try:
            tally_set(actor=actor, year=scheme.year, member=member, counts=form.counts())
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            return _done(request, back, _("已保存 %(name)s 的测评票数。") % {"name": member.name})
    return _form_page(
        request,
        title=_("%(year)s 年度民主测评计票：%(name)s") % {"year": scheme.year, "name": member.name},
        form=form,
        action=reverse("web:tally", args=[member.code]),
        back=back,
        submit=_("保存票数"),
        year=scheme.year,
        intro=_("按纸质选票录入每个选项的票数，空白票不计入。"),
    )


def _quota_intro(year: int, branch) -> str:
    """What the decision is about: the places, who holds them, who still waits (by name)."""
    standing = quota_standing(year=year, branch=branch)
    text = _("综合得分在最后一个优秀名额处并列，须由支部认定是否占用名额并说明理由。")
    text += " " + _("本支部优秀名额 %(places)s 个，已占用：%(holders)s；待认定：%(pending)s。") % {
        "places": standing.places,
        "holders": "、".join(m.name for m in standing.holders) or _("（无）"),
        "pending": "、".join(m.name for m in standing.pending) or _("（无）"),
    }
    return text


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request, code: str):
    actor = request.user
    member = member_access_by_code(actor=actor, code=code, manage=True)
    scheme = scheme_chosen(_year_param(request))
    if scheme is None:
        raise Http404(_("所选年度还没有考评方案。"))
    back = _next_url(request, _with_year(reverse("web:branch", args=[member.branch.code]), scheme))
    current = selectors.member_decision(actor=actor, member=member, year=scheme.year)
    initial = {}
    if current is not None:
        initial = {"excellent": "yes" if current.excellent else "no", "note": current.note}
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            quota_decision_record(
                actor=actor,
                year=scheme.year,
                member=member,
                excellent=form.cleaned_data["excellent"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            return _done(request, back, _("已记录对 %(name)s 的组织认定。") % {"name": member.name})
    return _form_page(
        request,
        title=_("%(year)s 年度优秀名额组织认定：%(name)s")
        % {"year": scheme.year, "name": member.name},
        form=form,
        action=reverse("web:decision", args=[member.code]),
        back=back,
        submit=_("保存认定"),
        year=scheme.year,
        intro=_quota_intro(scheme.year, member.branch),
    )


# --------------------------------------------------------------------------- overview


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


def _org_save(request, form, *, code: str):
    data = form.cleaned_data
    return organization_upsert(
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
    if not scope_for(actor).is_scheme_admin:
        raise PermissionDenied(_("只有党工委管理员可以调整组织架构。"))
    form = OrganizationForm(request.POST, parents=selectors.parent_choices(actor=actor))
    if form.is_valid():
        try:
            org = _org_save(request, form, code=form.cleaned_data["code"])
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            return _done(
                request, reverse("web:overview"), _("已添加组织 %(name)s。") % {"name": org.name}
            )
    return _overview_page(request, org_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, code: str):
    actor = request.user
    org = organization_access_by_code(actor=actor, code=code, manage=True)
    if not scope_for(actor).is_scheme_admin:
        raise PermissionDenied(_("只有党工委管理员可以调整组织架构。"))
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
        try:
            _org_save(request, form, code=org.code)
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
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


# --------------------------------------------------------------------------- schemes


def _schemes_page(request, *, create_form=None):
    actor = request.user
    staff_required(actor=actor)
    years = scheme_years()
    is_admin = scope_for(actor).is_scheme_admin
    if is_admin and create_form is None:
        next_year = (years[0] + 1) if years else None
        create_form = SchemeCreateForm(years=years, initial={"year": next_year})
    context = {
        "schemes": selectors.schemes_list(),
        "years": years,
        "is_admin": is_admin,
        "create_form": create_form if is_admin else None,
    }
    return render(request, "web/schemes.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def schemes(request):
    if request.method == "GET":
        return _schemes_page(request)
    actor = request.user
    staff_required(actor=actor)
    years = scheme_years()
    form = SchemeCreateForm(request.POST, years=years)
    if form.is_valid():
        source = form.cleaned_data["source"]
        copy_from = None
        if source.startswith("copy:"):
            copy_from = scheme_chosen(source.removeprefix("copy:"))
        try:
            scheme = scheme_create(
                actor=actor,
                year=form.cleaned_data["year"],
                copy_from=copy_from,
                with_template_items=source == "template",
            )
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            return _done(
                request,
                reverse("web:scheme", args=[scheme.year]),
                _("已创建 %(year)s 年度考评方案。") % {"year": scheme.year},
            )
    return _schemes_page(request, create_form=form)


def _scheme_page(request, scheme: Scheme, *, settings_form=None, item_form=None):
    actor = request.user
    is_admin = scope_for(actor).is_scheme_admin and not scheme.is_final
    if is_admin and settings_form is None:
        settings_form = SchemeSettingsForm(initial=SchemeSettingsForm.initial_for(scheme))
    if is_admin and item_form is None:
        item_form = SchemeItemForm()
    context = {
        "scheme": scheme,
        "years": scheme_years(),
        "items": list(scheme_items(scheme)),
        "is_admin": is_admin,
        "settings_form": settings_form if is_admin else None,
        "item_form": item_form if is_admin else None,
    }
    return render(request, "web/scheme.html", context)


def _scheme_for_staff(request, year: int) -> Scheme:
    staff_required(actor=request.user)
    scheme = scheme_chosen(year)
    if scheme is None:
        raise Http404(_("所选年度还没有考评方案。"))
    return scheme


@login_required
@require_GET
def scheme_detail(request, year: int):
    return _scheme_page(request, _scheme_for_staff(request, year))


@login_required
@require_POST
def scheme_settings(request, year: int):
    scheme = _scheme_for_staff(request, year)
    form = SchemeSettingsForm(request.POST)
    if form.is_valid():
        try:
            scheme_update(actor=request.user, scheme=scheme, **form.changes())
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            return _done(
                request,
                reverse("web:scheme", args=[scheme.year]),
                _("已保存 %(year)s 年度方案设置。") % {"year": scheme.year},
            )
    return _scheme_page(request, scheme, settings_form=form)


def _item_save(request, scheme: Scheme, form, code: str):
    data = form.cleaned_data
    return scheme_item_upsert(
        actor=request.user,
        scheme=scheme,
        code=code,
        kind=data["kind"],
        name=data["name"],
        points=data["points"],
        group=data["group"],
        disqualifies=data["disqualifies"],
        categories=data["categories"],
    )


@login_required
@require_POST
def scheme_item_create(request, year: int):
    scheme = _scheme_for_staff(request, year)
    form = SchemeItemForm(request.POST)
    if form.is_valid():
        code = form.cleaned_data["code"].strip()
        if any(i.code == code for i in scheme_items(scheme)):
            form.add_error("code", _("指标代码 %(code)s 已存在。") % {"code": code})
        else:
            try:
                item = _item_save(request, scheme, form, code)
            except ValidationError as exc:
                apply_service_error(form, exc)
            else:
                return _done(
                    request,
                    reverse("web:scheme", args=[scheme.year]),
                    _("已添加指标 %(code)s。") % {"code": item.code},
                )
    return _scheme_page(request, scheme, item_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def scheme_item_edit(request, year: int, code: str):
    scheme = _scheme_for_staff(request, year)
    item = scheme_items(scheme).filter(code=code).first()
    if item is None:
        raise Http404(
            _("%(year)s 年度方案中没有指标 %(item)s。") % {"year": scheme.year, "item": code}
        )
    if not scope_for(request.user).is_scheme_admin:
        raise PermissionDenied(_("只有党工委管理员可以修改考评方案。"))
    form = SchemeItemForm(
        request.POST or None, initial=SchemeItemForm.initial_for(item), editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            _item_save(request, scheme, form, item.code)
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            return _done(
                request,
                reverse("web:scheme", args=[scheme.year]),
                _("已保存指标 %(code)s。") % {"code": item.code},
            )
    return _form_page(
        request,
        title=_("编辑指标 %(code)s（%(year)s 年度）") % {"code": item.code, "year": scheme.year},
        form=form,
        action=reverse("web:scheme_item", args=[scheme.year, item.code]),
        back=reverse("web:scheme", args=[scheme.year]),
        submit=_("保存"),
        intro=_("已录入的记录保留录入时的分值，修改只对之后的记录生效。"),
    )


@require_GET
@login_required
def audit_log(request):
    """The audit log (审计日志): committee admins only; 404 for everyone else."""
    if not scope_for(request.user).is_scheme_admin:
        raise Http404
    from django.core.paginator import Paginator

    from kaoping.audit.selectors import audit_events_visible

    action = request.GET.get("action", "")
    page = Paginator(audit_events_visible(actor=request.user, action=action), 100).get_page(
        request.GET.get("page")
    )
    return render(request, "web/audit.html", {"page": page, "action": action})


@login_required
@require_http_methods(["GET", "POST"])
def ledger_publications_page(request, code: str):
    """The branch's published ledger periods (公示); officers publish a new period."""
    from kaoping.ledger.selectors import ledger_publications
    from kaoping.ledger.services import ledger_publish

    from .forms import LedgerPublishForm

    branch = organization_access_by_code(actor=request.user, code=code)
    if not branch.is_branch:
        raise Http404
    publications = ledger_publications(actor=request.user, branch=branch)
    can_publish = scope_for(request.user).manages(branch.path)
    form = LedgerPublishForm(request.POST or None)
    action = reverse("web:ledger_publications", args=[branch.code])
    if request.method == "POST":
        if not can_publish:
            raise PermissionDenied
        if form.is_valid():
            try:
                ledger_publish(actor=request.user, branch=branch, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_error(form, exc)
            else:
                return _done(request, action, _("台账已公示"))
    return form_answer(
        request,
        {
            "branch": branch,
            "publications": publications,
            "form": form,
            "can_publish": can_publish,
            "action": action,
            "back": action,
            "title": _("公示一个时段的台账"),
            "submit": _("公示"),
        },
        page="web/ledger_publications.html",
    )


@login_required
@require_GET
def ledger_publication_detail(request, code: str, pk: int):
    from kaoping.ledger.selectors import ledger_publication_access_by_id, published_entries

    branch = organization_access_by_code(actor=request.user, code=code)
    publication = ledger_publication_access_by_id(actor=request.user, branch=branch, pk=pk)
    return render(
        request,
        "web/ledger_publication.html",
        {
            "branch": branch,
            "publication": publication,
            "entries": published_entries(publication=publication),
        },
    )
