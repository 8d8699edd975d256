"""Pages of the democratic evaluation. Thin: parse, call one service or selector, render.

The vote views never log anything and never put the request body anywhere: the ballot's
marks go from ``request.POST`` straight to ``ballot_cast``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaoping.kit.answers import form_answer, form_page, form_saved
from kaoping.kit.confirm import confirm_page
from kaoping.kit.forms import errors_on, flash_service_error
from kaoping.orgs.selectors import branch_for_staff, own_member, scope_for
from kaoping.schemes.models import Scheme
from kaoping.schemes.selectors import year_is_frozen

from . import selectors, services
from .forms import (
    CodeForm,
    PaperCodesForm,
    PaperTallyForm,
    PeerCommentForm,
    ReceiptForm,
    RoundOpenForm,
    SecretaryCommentForm,
    SelfEvaluationForm,
    initial_of,
)
from .models import EvaluationRound, PeerComment, SecretaryComment, VoteCount


def _scheme(year: int) -> Scheme:
    scheme = Scheme.objects.filter(year=year).first()
    if scheme is None:
        raise Http404(_("%(year)s 年度还没有考评方案。") % {"year": year})
    return scheme


def _officer_round(request, code: str, year: int):
    """The round and its branch, for one who keeps the branch."""
    round_ = selectors.round_for_staff(actor=request.user, code=code, year=year, manage=True)
    return round_.branch, round_


def _marks(post) -> dict[str, str]:
    return {key[2:]: value for key, value in post.items() if key.startswith("m:")}


# --------------------------------------------------------------------------- officers


def _round_page(request, branch, year: int, *, open_form=None, codes=None, status=200):
    actor = request.user
    scheme = _scheme(year)
    round_ = selectors.round_of(branch=branch, year=year)
    can_manage = scope_for(actor).manages(branch.path)
    context = {
        "branch": branch,
        "scheme": scheme,
        "round": round_,
        "can_manage": can_manage,
        "steps": selectors.round_steps(
            round_=round_,
            frozen=round_ is not None
            and round_.step == EvaluationRound.Step.DETERMINATION
            and year_is_frozen(year=year, branch=branch),
        ),
        "codes": codes,
    }
    if round_ is None:
        context["open_form"] = open_form or RoundOpenForm() if can_manage else None
    else:
        context["progress"] = selectors.round_progress(actor=actor, round_=round_)
        context["turnout"] = selectors.turnout(round_=round_)
        context["totals"] = selectors.vote_totals(actor=actor, round_=round_)
        context["options"] = list(scheme.ballot_options)
        context["scrutineers"] = list(round_.scrutineers.select_related("member"))
        context["vote_count"] = VoteCount.objects.filter(round=round_).first()
        if round_.vote_method == EvaluationRound.VoteMethod.PAPER:
            context["paper_status"] = selectors.paper_tally_status(round_)
        if can_manage and round_.vote_state == EvaluationRound.VoteState.OPEN:
            context["codes_form"] = PaperCodesForm(
                members=round_.branch.members.filter(
                    pk__in=round_.rights.filter(used=False).values("member_id")
                )
            )
    return render(request, "evaluation/round.html", context, status=status)


@login_required
@require_GET
def round_page(request, code: str, year: int):
    branch = branch_for_staff(actor=request.user, code=code)
    return _round_page(request, branch, year)


@login_required
@require_POST
def round_open(request, code: str, year: int):
    branch = branch_for_staff(actor=request.user, code=code, manage=True)
    _scheme(year)
    form = RoundOpenForm(request.POST)
    if form.is_valid():
        with errors_on(form):
            services.round_open(actor=request.user, branch=branch, year=year, **form.cleaned_data)
            messages.success(request, _("民主评议已开始。"))
            return redirect("evaluation:round", branch.code, year)
    return _round_page(request, branch, year, open_form=form)


DONE = {
    "advance": gettext_lazy("已进入下一环节。"),
    "close": gettext_lazy("投票已截止。"),
    "publish": gettext_lazy("测评票数已公布，进入组织认定。"),
}
ACTIONS = {name: (service, DONE[name]) for name, service in services.ROUND_ACTIONS.items()}


# Irreversible steps shown with their consequences first: a GET, or a POST without
# ``confirm``, shows them (web/confirm.html) and changes nothing.
SUBMITS = {
    "advance": gettext_lazy("确认进入下一环节"),
    "close": gettext_lazy("确认截止投票"),
    "publish": gettext_lazy("确认公布测评票数"),
}
CONFIRMED = {
    name: (consequences, SUBMITS[name])
    for name, consequences in selectors.ROUND_ACTION_CONSEQUENCES.items()
}


def _confirmation(request, branch, round_, action: str):
    consequences_of, submit = CONFIRMED[action]
    consequences = consequences_of(actor=request.user, round_=round_)
    if action == "advance":
        title = _("%(name)s %(year)s 年度民主评议：结束“%(step)s”环节") % {
            "name": branch.name,
            "year": round_.year,
            "step": round_.get_step_display(),
        }
    elif action == "publish":
        title = _("%(name)s %(year)s 年度民主测评：公布测评票数") % {
            "name": branch.name,
            "year": round_.year,
        }
    else:
        title = _("%(name)s %(year)s 年度民主测评：截止投票") % {
            "name": branch.name,
            "year": round_.year,
        }
    return confirm_page(
        request,
        title=title,
        consequences=consequences.lines,
        names=consequences.names,
        names_label=consequences.names_label,
        refusal=consequences.refusal,
        action=request.path,
        hidden=(),
        back=round_.get_absolute_url(),
        submit=str(submit),
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_action(request, code: str, year: int, action: str):
    if action not in ACTIONS:
        raise Http404(_("没有“%(action)s”这项操作。") % {"action": action})
    if request.method == "GET" and action not in CONFIRMED:
        return HttpResponseNotAllowed(["POST"])
    service, done_lazy = ACTIONS[action]
    done = str(done_lazy)
    branch, round_ = _officer_round(request, code, year)
    if action in CONFIRMED and not (request.method == "POST" and request.POST.get("confirm")):
        return _confirmation(request, branch, round_, action)
    before = round_.get_step_display()
    try:
        after = service(actor=request.user, round_=round_)
    except ValidationError as exc:
        flash_service_error(request, exc)
    else:
        if action == "advance":
            done = _("已结束“%(before)s”环节，进入“%(after)s”。") % {
                "before": before,
                "after": after.get_step_display(),
            }
        messages.success(request, str(done))
    return redirect("evaluation:round", branch.code, year)


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request, code: str, year: int, member_code: str):
    branch, round_ = _officer_round(request, code, year)
    member = selectors.comment_subject(actor=request.user, round_=round_, code=member_code)
    current = SecretaryComment.objects.filter(round=round_, member=member).first()
    form = SecretaryCommentForm(
        request.POST or None, initial=initial_of(SecretaryCommentForm, current)
    )

    def save(data):
        services.secretary_comment_save(actor=request.user, round_=round_, member=member, **data)
        return round_.get_absolute_url(), _("已保存对 %(name)s 的点评。") % {"name": member.name}

    if answer := form_saved(request, form, save):
        return answer
    # Not written blind: the member's self-evaluation and the peer comments received.
    return form_answer(
        request,
        {
            "title": _("书记点评：%(name)s") % {"name": member.name},
            "member": member,
            "basis": selectors.comment_basis(actor=request.user, round_=round_, member=member),
            "form": form,
            "action": request.path,
            "back": round_.get_absolute_url(),
            "submit": _("保存点评"),
        },
        page="evaluation/comment.html",
    )


@login_required
@require_POST
@never_cache
def paper_codes(request, code: str, year: int):
    branch, round_ = _officer_round(request, code, year)
    form = PaperCodesForm(
        request.POST, members=branch.members.filter(pk__in=round_.rights.values("member_id"))
    )
    if form.is_valid():
        try:
            codes = services.paper_codes_issue(
                actor=request.user, round_=round_, members=list(form.cleaned_data["members"])
            )
        except ValidationError as exc:
            flash_service_error(request, exc)
        else:
            return render(request, "evaluation/codes.html", {"round": round_, "codes": codes})
    else:
        messages.error(request, _("请选择到会领取投票码的党员。"))
    return redirect("evaluation:round", branch.code, year)


@login_required
@require_http_methods(["GET", "POST"])
def paper_tally(request, code: str, year: int):
    branch, round_ = _officer_round(request, code, year)
    scheme = _scheme(year)
    members = selectors.round_candidates(round_)
    mine = round_.paper.filter(entered_by=request.user).first()
    initial = {}
    if mine is not None:
        initial = {f"{m}__{o}": n for m, counts in mine.counts.items() for o, n in counts.items()}
    form = PaperTallyForm(
        request.POST or None, members=members, options=scheme.ballot_options, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.paper_tally_enter(actor=request.user, round_=round_, counts=form.counts())
            status, differing = selectors.paper_tally_status(round_)
            if status == "mismatch":
                messages.error(
                    request,
                    _("两次录入不一致，请核对：%(codes)s。") % {"codes": "、".join(differing)},
                )
            else:
                messages.success(request, _("已保存您录入的票数。"))
            return redirect(round_)
    return render(
        request,
        "evaluation/paper.html",
        {"round": round_, "form": form, "options": list(scheme.ballot_options)},
    )


# --------------------------------------------------------------------------- members


@login_required
@require_GET
def mine(request, year: int):
    member = own_member(actor=request.user)
    tasks = selectors.member_tasks(actor=request.user, member=member, year=year)
    form = None
    if tasks.round is not None:
        current = tasks.self_evaluation
        form = SelfEvaluationForm(initial=initial_of(SelfEvaluationForm, current))
    return render(
        request,
        "evaluation/mine.html",
        {"member": member, "year": year, "tasks": tasks, "self_form": form},
    )


@login_required
@require_POST
def self_save(request, year: int):
    member, round_ = selectors.own_round(actor=request.user, year=year)
    form = SelfEvaluationForm(request.POST)
    if form.is_valid():
        submit = "submit" in request.POST
        with errors_on(form):
            services.self_evaluation_save(
                actor=request.user, round_=round_, submit=submit, **form.cleaned_data
            )
            messages.success(request, _("自评已提交。") if submit else _("自评草稿已保存。"))
            return redirect("evaluation:mine", year)
    tasks = selectors.member_tasks(actor=request.user, member=member, year=year)
    return render(
        request,
        "evaluation/mine.html",
        {"member": member, "year": year, "tasks": tasks, "self_form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def peer_edit(request, year: int, member_code: str):
    author, round_ = selectors.own_round(actor=request.user, year=year)
    subject = selectors.round_member_by_code(round_, member_code)
    current = PeerComment.objects.filter(round=round_, author=author, subject=subject).first()
    form = PeerCommentForm(request.POST or None, initial=initial_of(PeerCommentForm, current))

    def save(data):
        services.peer_comment_save(actor=request.user, round_=round_, subject=subject, **data)
        message = _("已保存对 %(name)s 的评价。") % {"name": subject.name}
        return reverse("evaluation:mine", args=[year]), message

    if answer := form_saved(request, form, save):
        return answer
    return form_page(
        request,
        title=_("党员互评：%(name)s") % {"name": subject.name},
        form=form,
        action=request.path,
        back=reverse("evaluation:mine", args=[year]),
        submit=_("保存评价"),
    )


def _ballot_page(request, round_, *, action: str, code: str = "", error=None, status=200):
    scheme = _scheme(round_.year)
    return render(
        request,
        "evaluation/ballot.html",
        {
            "round": round_,
            "candidates": selectors.round_candidates(round_),
            "options": list(scheme.ballot_options),
            "action": action,
            "paper_code": code,
            "error": error,
        },
        status=status,
    )


def _cast_done(request, receipt: str):
    return render(request, "evaluation/cast.html", {"receipt": receipt})


@sensitive_post_parameters()  # the marks never reach an error report
@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def vote(request, year: int):
    member, round_ = selectors.own_round(actor=request.user, year=year)
    action = reverse("evaluation:vote", args=[year])
    if request.method == "GET":
        if selectors.has_voted(member=member, round_=round_):
            # Said at once, not after the ballot is filled in again (nothing about how).
            return render(
                request,
                "web/notice_page.html",
                {
                    "title": _("%(year)s 年度民主测评") % {"year": year},
                    "message": _("您已投票。每人只能投一次，选票已无记名保存，不能查看或更改。"),
                    "back": reverse("evaluation:mine", args=[year]),
                },
            )
        return _ballot_page(request, round_, action=action)
    try:
        receipt = services.ballot_cast(
            actor=request.user, round_=round_, marks=_marks(request.POST)
        )
    except ValidationError as exc:
        return _ballot_page(request, round_, action=action, error=exc.messages, status=400)
    return _cast_done(request, receipt)


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
@never_cache
def vote_with_code(request):
    """Meeting-room voting with a one-time paper code; no login needed, none recorded."""
    action = reverse("evaluation:vote_code")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if "cast" not in request.POST:
            round_ = selectors.paper_code_round(code)
            if round_ is None:
                form.add_error("code", _("投票码无效或已使用。"))
            else:
                return _ballot_page(request, round_, action=action, code=code)
        else:
            try:
                receipt = services.ballot_cast_with_code(code=code, marks=_marks(request.POST))
            except ValidationError as exc:
                round_ = selectors.paper_code_round(code)
                if round_ is None:
                    form.add_error(None, exc)
                else:
                    return _ballot_page(
                        request, round_, action=action, code=code, error=exc.messages, status=400
                    )
            else:
                return _cast_done(request, receipt)
    return form_answer(
        request,
        {
            "title": _("会场投票：输入投票码"),
            "plain": True,  # the next step is a whole page (the ballot), not a fragment
            "form": form,
            "action": action,
            "back": reverse("web:home"),
            "submit": _("下一步"),
        },
    )


@require_http_methods(["GET", "POST"])
@never_cache
def receipt(request):
    form = ReceiptForm(request.POST or None)
    result = None
    checked = False
    if request.method == "POST" and form.is_valid():
        checked = True
        result = selectors.receipt_check(code=form.cleaned_data["code"])
    return render(
        request, "evaluation/receipt.html", {"form": form, "result": result, "checked": checked}
    )
