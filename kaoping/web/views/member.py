"""A member's page and the officers' forms about one member: their record, the
democratic-evaluation counts typed in, the decision on a tied excellent place."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kaoping.evaluation.selectors import quota_standing
from kaoping.evaluation.services import (
    quota_decision_record,
    tally_direct_refusal,
    tally_set,
)
from kaoping.kit.answers import form_done as _done
from kaoping.kit.answers import form_page as _form_page
from kaoping.kit.answers import form_saved
from kaoping.kit.answers import next_url as _next_url
from kaoping.kit.forms import errors_on
from kaoping.ledger.selectors import entries_visible
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import (
    member_access_by_code,
    own_member,
    scope_for,
)
from kaoping.orgs.services import member_edit as member_edit_service
from kaoping.schemes.selectors import (
    frozen_notice,
    scheme_chosen,
    scheme_chosen_or_404,
    scheme_years,
)
from kaoping.scoring.selectors import live_results_of_branch, results_stamps

from .. import selectors
from ..caching import page_body, scope_key
from ..forms import (
    DecisionForm,
    MemberForm,
    TallyForm,
)
from ..no_access import has_no_access, no_access_page
from .years import with_year, year_param


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
            live = live_results_of_branch(scheme=scheme, branch=member.branch, stamp=stamp)
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
    return _member_page(request, own_member(actor=request.user))


@login_required
@require_GET
def member_detail(request, code: str):
    return _member_page(request, selectors.member_for_page(actor=request.user, code=code))


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

    def save(d):
        member_edit_service(actor=actor, member=member, name=d["name"], membership=d["membership"])
        return back, _("已保存党员 %(code)s 的信息。") % {"code": member.code}

    if answer := form_saved(request, form, save):
        return answer
    return _form_page(
        request,
        title=_("编辑党员：%(name)s") % {"name": member.name},
        form=form,
        action=reverse("web:member_edit", args=[member.code]),
        back=back,
        submit=_("保存"),
    )


def _member_year_form(request, code: str):
    """The member an officer edits for the chosen year, the year's scheme (404 without
    one) and where the form returns to (the branch page of that year)."""
    member = member_access_by_code(actor=request.user, code=code, manage=True)
    scheme = scheme_chosen_or_404(year_param(request))
    back = _next_url(request, with_year(reverse("web:branch", args=[member.branch.code]), scheme))
    return member, scheme, back


@login_required
@require_http_methods(["GET", "POST"])
def tally_edit(request, code: str):
    actor = request.user
    member, scheme, back = _member_year_form(request, code)
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
        with errors_on(form):
            tally_set(actor=actor, year=scheme.year, member=member, counts=form.counts())
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
    member, scheme, back = _member_year_form(request, code)
    current = selectors.member_decision(actor=actor, member=member, year=scheme.year)
    initial = {}
    if current is not None:
        initial = {"excellent": "yes" if current.excellent else "no", "note": current.note}
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            quota_decision_record(
                actor=actor,
                year=scheme.year,
                member=member,
                excellent=form.cleaned_data["excellent"],
                note=form.cleaned_data["note"],
            )
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
