"""Pages of publication (公示), appeals (申诉), determination (组织认定) and finalisation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaoping.evaluation.selectors import round_of
from kaoping.kit.answers import form_answer, form_done
from kaoping.kit.confirm import confirm_page, confirmed
from kaoping.kit.forms import apply_service_error, flash_service_error
from kaoping.orgs.selectors import member_access_by_code, own_member, scope_for
from kaoping.schemes.models import Scheme, SchemeItem
from kaoping.schemes.selectors import year_is_frozen

from . import selectors, services
from .forms import AnswerForm, AppealForm, ReopenForm


def _scheme(year: int) -> Scheme:
    scheme = Scheme.objects.filter(year=year).first()
    if scheme is None:
        raise Http404(_("%(year)s 年度还没有考评方案。") % {"year": year})
    return scheme


def _branch_url(branch, year: int) -> str:
    return reverse("publication:branch", args=[branch.code, year])


@login_required
@require_GET
def branch_page(request, code: str, year: int):
    """The officers' page: determination of ties, publication, appeals, finalisation."""
    actor = request.user
    branch = selectors.branch_for_officer(actor=actor, code=code)
    scheme = _scheme(year)
    scope = scope_for(actor)
    frozen = year_is_frozen(year=year, branch=branch)
    round_ = round_of(branch=branch, year=year)
    publication = selectors.publication_of(branch=branch, year=year)
    appeals = list(selectors.branch_appeals(branch=branch, year=year))
    context = {
        "branch": branch,
        "scheme": scheme,
        "round": round_,
        "steps": selectors.publication_steps(
            round_=round_, publication=publication, appeals=appeals, frozen=frozen
        ),
        "rows": selectors.determination_rows(scheme=scheme, branch=branch),
        "publication": publication,
        "appeals": appeals,
        "blockers": [] if frozen else services.finalisation_blockers(scheme=scheme, branch=branch),
        "frozen": frozen,
        "can_manage": scope.manages(branch.path),
        "is_admin": scope.is_scheme_admin,
        "reopen_form": ReopenForm() if frozen and scope.is_scheme_admin else None,
    }
    return render(request, "publication/branch.html", context)


@login_required
@require_POST
def publish(request, code: str, year: int):
    branch = selectors.branch_for_reader(actor=request.user, code=code, manage=True)
    back = _branch_url(branch, year)
    try:
        if not request.POST.get("confirm"):
            plan = services.publication_plan(actor=request.user, branch=branch, year=year)
            return confirm_page(
                request,
                title=_("确认公示 %(year)s 年度考评结果") % {"year": year},
                consequences=plan.consequences(),
                submit=_("确认公示"),
                back=back,
            )
        publication = services.publication_publish(actor=request.user, branch=branch, year=year)
    except ValidationError as exc:
        flash_service_error(request, exc)
    else:
        messages.success(
            request,
            _("结果已公示（第 %(v)s 次），公示期至 %(until)s 结束；期间党员可以申诉。")
            % {
                "v": publication.version,
                "until": timezone.localtime(publication.notice_until).strftime("%Y-%m-%d %H:%M"),
            },
        )
    return redirect(back)


@login_required
@require_POST
def finalise(request, code: str, year: int):
    branch = selectors.branch_for_reader(actor=request.user, code=code, manage=True)
    back = _branch_url(branch, year)
    try:
        if not request.POST.get("confirm"):
            plan = services.finalisation_plan(actor=request.user, branch=branch, year=year)
            if plan.blockers:
                raise ValidationError(plan.blockers)
            return confirm_page(
                request,
                title=_("确认定格 %(year)s 年度考评结果") % {"year": year},
                consequences=plan.consequences(),
                submit=_("确认定格"),
                back=back,
            )
        services.branch_finalise(actor=request.user, branch=branch, year=year)
    except ValidationError as exc:
        flash_service_error(request, exc)
    else:
        messages.success(request, _("本支部本年度考评结果已定格。"))
    return redirect(back)


@login_required
@require_POST
def reopen(request, code: str, year: int):
    branch = selectors.branch_for_reader(actor=request.user, code=code)
    if not scope_for(request.user).is_scheme_admin:
        raise PermissionDenied(_("只有党工委管理员可以重新开放已定格的年度。"))
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("重新开放须写明理由。"))
        return redirect(_branch_url(branch, year))
    reason = form.cleaned_data["reason"]
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("确认重新开放 %(year)s 年度") % {"year": year},
            consequences=selectors.reopen_consequences(branch=branch, year=year, reason=reason),
            submit=_("确认重新开放"),
            back=_branch_url(branch, year),
        )
    try:
        services.branch_reopen(actor=request.user, branch=branch, year=year, reason=reason)
    except ValidationError as exc:
        flash_service_error(request, exc)
    else:
        messages.success(request, _("已重新开放。"))
    return redirect(_branch_url(branch, year))


@login_required
@require_GET
def printable(request, code: str, year: int):
    """The published results on one printable A4 page, for the branch's members and
    officers."""
    branch = selectors.branch_for_reader(actor=request.user, code=code)
    if selectors.publication_of(branch=branch, year=year) is None:
        raise Http404(
            _("%(branch)s 的 %(year)s 年度结果尚未公示。") % {"branch": branch.name, "year": year}
        )
    return render(
        request, "publication/print.html", selectors.notice_print_context(branch=branch, year=year)
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal_new(request, year: int):
    actor = request.user
    member = own_member(actor=actor)

    entries = selectors.appealable_entries(member=member, year=year)
    form = AppealForm(request.POST or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = services.appeal_file(
                actor=actor,
                member=member,
                year=year,
                reasons=data["reasons"],
                evidence=data["evidence"],
                entry=data["entry"],
            )
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            message = _("申诉 %(code)s 已提交。") % {"code": appeal.code}
            return form_done(request, f"{reverse('web:me')}?year={year}#publication", message)
    return form_answer(
        request,
        {
            "title": _("%(year)s 年度考评结果申诉") % {"year": year},
            "form": form,
            "action": request.path,
            "back": f"{reverse('web:me')}?year={year}",
            "submit": _("提交申诉"),
            "intro": _("公示期内可对本人的某条记录或等次提出申诉，写明理由并附佐证。"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal_answer(request, code: str):
    actor = request.user
    appeal = selectors.appeal_access_by_code(actor=actor, code=code, manage=True)
    scheme = _scheme(appeal.year)
    back = _branch_url(appeal.member.branch, appeal.year)
    form = AnswerForm(
        request.POST or None,
        items=SchemeItem.objects.filter(scheme=scheme).order_by("kind", "code"),
        initial={"add_occurrences": 1},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.appeal_answer(
                actor=actor,
                appeal=appeal,
                upheld=data["upheld"],
                answer=data["answer"],
                reverse_entry=data["reverse_entry"],
                add_item=data["add_item"],
                add_occurrences=data["add_occurrences"] or 1,
                add_date=data["add_date"],
            )
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("已答复申诉 %(code)s。") % {"code": appeal.code})
            return redirect(back)
    return render(
        request,
        "publication/answer.html",
        {"appeal": appeal, "form": form, "back": back, "action": request.path},
    )


@login_required
@require_GET
def member_panel(request, code: str, year: int):
    """The member page's evaluation and publication cards (loaded by htmx, or a page)."""
    member = member_access_by_code(actor=request.user, code=code)
    template = (
        "publication/member_panel.html" if request.htmx else "publication/member_panel_page.html"
    )
    return render(request, template, {"member": member, "scheme": _scheme(year)})
