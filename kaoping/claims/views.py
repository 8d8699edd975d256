"""Bonus claim pages: the member's own claims, a branch's claims, one claim, its proof."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from kaoping.kit.answers import form_saved, frozen_refusal
from kaoping.kit.confirm import confirm_page, confirmed
from kaoping.kit.tables import Column, Filter, TableSpec, table
from kaoping.ops.files import upload_answer
from kaoping.orgs.selectors import branch_for_staff, own_member, scope_for
from kaoping.schemes.models import Scheme
from kaoping.schemes.selectors import frozen_notice

from . import selectors, services
from .forms import ClaimForm, DecideForm
from .models import BonusClaim

# A branch's bonus claims: by status (then the newest first) unless sorted otherwise,
# searched by member, item or what was claimed, filtered by status.
CLAIMS_TABLE = TableSpec(
    columns=(
        Column("member", _lazy("党员"), order=("member__code",)),
        Column("date", _lazy("日期"), order=("date",)),
        Column("item", _lazy("加分项目"), order=("item__code",)),
        Column("description", _lazy("申报事项")),
        Column("status", _lazy("状态"), order=("status", "-created_at")),
        Column("entry", _lazy("台账记录")),
    ),
    default_sort="status",
    search=("member__name", "member__code", "item__name", "description", "code"),
    search_label=_lazy("姓名、项目、事项"),
    filters=(Filter("status", _lazy("状态"), BonusClaim.Status.choices, lookup="status"),),
)


def _current_scheme() -> Scheme | None:
    return Scheme.objects.order_by("-year").first()


@login_required
@require_http_methods(["GET", "POST"])
def my_claims(request):
    actor = request.user
    member = own_member(actor=actor)
    scheme = _current_scheme()
    # A frozen year takes no more claims: no form, the notice says why.
    notice = frozen_notice(year=scheme.year, branch=member.branch) if scheme else None
    if request.method == "POST" and notice is not None:  # posted from an older page
        return frozen_refusal(request, notice, reverse("claims:mine"))
    form = None
    if scheme is not None and notice is None:
        items = selectors.bonus_items(scheme=scheme, member=member)
        form = ClaimForm(request.POST or None, request.FILES or None, items=items)

    def submit(d):
        services.claim_submit(actor=actor, **d)
        return reverse("claims:mine"), _("已提交加分申报，等待支部审核。")

    if form is not None and (answer := form_saved(request, form, submit)):
        return answer
    status = 400 if request.method == "POST" and form is not None else 200
    context = {
        "frozen_notice": notice,
        "member": member,
        "scheme": scheme,
        "form": form,
        "claims": selectors.claims_of_member(actor=actor, member=member),
        "remaining": selectors.bonus_remaining(member=member, scheme=scheme) if scheme else None,
    }
    return render(request, "claims/mine.html", context, status=status)


@login_required
@require_GET
def branch_claims(request, code: str):
    actor = request.user
    branch = branch_for_staff(actor=actor, code=code)
    claims = table(request, selectors.claims_of_branch(actor=actor, branch=branch), CLAIMS_TABLE)
    return render(request, "claims/branch.html", {"branch": branch, "claims": claims})


@login_required
@require_http_methods(["GET", "POST"])
def claim_detail(request, code: str):
    actor = request.user
    claim = selectors.claim_access_by_code(actor=actor, code=code)
    can_manage = scope_for(actor).manages(claim.member.branch.path)
    pending = claim.status == "pending"
    notice = (
        frozen_notice(year=claim.date.year, branch=claim.member.branch)
        if can_manage and pending
        else None
    )
    form = DecideForm(request.POST or None) if can_manage and pending and not notice else None
    status = 200
    if request.method == "POST":
        if form is None:
            if not can_manage:
                raise PermissionDenied(_("您无权审核加分申报 %(code)s。") % {"code": claim.code})
            if notice is not None:  # a frozen year: approving or refusing would change it
                messages.error(request, notice)
            else:
                messages.error(request, _("该申报已审核。"))
            return redirect(reverse("claims:detail", args=[claim.code]))

        def decide(d):
            if d["decision"] == "approve":
                services.claim_approve(actor=actor, claim=claim, note=d["reason"])
            else:
                services.claim_refuse(actor=actor, claim=claim, reason=d["reason"])
            decided = _("已审核 %(name)s 的加分申报。") % {"name": claim.member.name}
            return reverse("claims:detail", args=[claim.code]), decided

        if form.is_valid() and not confirmed(request):
            d = form.cleaned_data
            if d["decision"] == "approve" or d["reason"].strip():  # else the service refuses
                return confirm_page(
                    request,
                    title=_("确认审核 %(name)s 的加分申报") % {"name": claim.member.name},
                    consequences=selectors.claim_decision_consequences(claim=claim, **d),
                    submit=_("确认审核"),
                    back=reverse("claims:detail", args=[claim.code]),
                )
        if answer := form_saved(request, form, decide):
            return answer
        status = 400
    context = {
        "frozen_notice": notice,
        "claim": claim,
        "form": form,
        "can_manage": can_manage,
        "remaining": selectors.bonus_remaining(member=claim.member, scheme=claim.item.scheme),
    }
    return render(request, "claims/claim.html", context, status=status)


@login_required
@require_GET
def claim_proof(request, code: str):
    """The proof file, only to those who may see the claim (404 otherwise)."""
    claim = selectors.claim_access_by_code(actor=request.user, code=code)
    return upload_answer(claim.proof_file, missing=_("找不到这份证明材料。"))
