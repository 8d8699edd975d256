"""Pages of the sealed online vote around its key: opening it with scrutineers (the shares
shown once), counting with their shares, the ballot box with its receipts, the anonymous
ballots and their recount, and re-running or falling back to paper when shares are lost.

Nothing here logs anything; shares go from ``request.POST`` straight to the service."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaoping.kit.forms import errors_on, flash_service_error
from kaoping.orgs.selectors import scope_for

from . import box, counting, selectors
from .forms import CountForm, ReasonForm, ScrutineersForm
from .models import EvaluationRound
from .views import _officer_round

VoteState = EvaluationRound.VoteState


def _voters(round_: EvaluationRound, branch):
    """Who may be named scrutineer: members on the voter list (or, before it is frozen,
    the active members who will be on it)."""
    if round_.rights.exists():
        return branch.members.filter(pk__in=round_.rights.values("member_id")).order_by("code")
    return branch.members.filter(status="active").order_by("code")


def _shares_page(request, round_, slips, title):
    return render(
        request,
        "evaluation/shares.html",
        {"round": round_, "slips": slips, "title": title, "back": round_.get_absolute_url()},
    )


def _scrutineer_page(request, branch, round_, form, *, title, lines, submit, status=200):
    return render(
        request,
        "evaluation/scrutineers.html",
        {
            "title": title,
            "round": round_,
            "form": form,
            "lines": lines,
            "submit": submit,
            "action": request.path,
            "back": round_.get_absolute_url(),
        },
        status=status,
    )


def _open_lines(request, round_: EvaluationRound) -> list[str]:
    consequences = selectors.advance_consequences(actor=request.user, round_=round_)
    return [
        *consequences.lines,
        _(
            "选票在服务器上加密后保存；解密密钥拆成份额交给监票人，每人一份，只显示这一次，"
            "系统不保存。计票时须有至少 2 名监票人输入份额。"
        ),
    ]


def _rerun_lines(request, round_: EvaluationRound) -> list[str]:
    return [
        _("已收到的 %(n)s 张加密选票将不经解密全部作废。") % {"n": round_.sealed.count()},
        _("所有投票人的投票权恢复，须重新投票；已发放的会场投票码作废。"),
        _("生成新的投票密钥，重新指定监票人；原份额全部失效。"),
        _("本决定及原因记入审计日志。"),
    ]


# The page's title, its button, and the title over the shares once shown.
OPEN_TEXTS = (
    gettext_lazy("%(name)s %(year)s 年度民主测评：开始投票，指定监票人"),
    gettext_lazy("开始投票并生成份额"),
    gettext_lazy("民主测评已开始：监票人份额"),
)


def _scrutineers_step(request, code: str, year: int, start, lines, texts, reason=False):
    """Name the scrutineers and start the vote (its first run, or a re-run with the
    reason): ``start`` is the service; the shares are shown once."""
    branch, round_ = _officer_round(request, code, year)
    form = ScrutineersForm(request.POST or None, members=_voters(round_, branch), reason=reason)
    title, submit, shown = texts
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            round_, slips = start(
                actor=request.user,
                round_=round_,
                scrutineers=list(form.cleaned_data["scrutineers"]),
                **({"reason": form.cleaned_data["reason"]} if reason else {}),
            )
            return _shares_page(request, round_, slips, str(shown))
    return _scrutineer_page(
        request,
        branch,
        round_,
        form,
        title=title % {"name": branch.name, "year": year},
        lines=lines(request, round_),
        submit=str(submit),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def vote_open(request, code: str, year: int):
    """Start the online vote: name the scrutineers; the shares are shown once."""
    return _scrutineers_step(request, code, year, counting.vote_open, _open_lines, OPEN_TEXTS)


@sensitive_post_parameters()  # the shares never reach an error report
@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def count(request, code: str, year: int):
    """唱票计票: the scrutineers type their shares on one screen (the secretary's, or one
    of theirs); nothing is kept between requests, so the shares go in together."""
    round_ = box.round_for_count(actor=request.user, code=code, year=year)
    scrutineers = list(round_.scrutineers.select_related("member"))
    data = request.POST if request.method == "POST" else None
    form = CountForm(data, scrutineers=scrutineers)
    status = 200
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            counting.vote_count(actor=request.user, round_=round_, shares=form.shares())
            messages.success(request, _("计票完成，选票密文已删除，解密密钥已丢弃。"))
            return redirect("evaluation:box", round_.branch.code, year)
        status = 400
    return render(
        request,
        "evaluation/count.html",
        {
            "round": round_,
            "form": form,
            "scrutineers": scrutineers,
            "turnout": selectors.turnout(round_=round_),
            "can_manage": scope_for(request.user).manages(round_.branch.path),
        },
        status=status,
    )


@login_required
@require_GET
@never_cache
def ballot_box(request, code: str, year: int):
    round_ = box.round_for_box(actor=request.user, code=code, year=year)
    return _box_page(request, round_, recount=None)


def _box_page(request, round_, *, recount):
    """The ballot box page (投票箱), with a recount's outcome when one was just made."""
    return render(
        request,
        "evaluation/box.html",
        {
            "round": round_,
            "box": box.ballot_box(round_=round_),
            "turnout": selectors.turnout(round_=round_),
            "code": box.round_code(round_),
            "recount": recount,
        },
    )


@login_required
@require_GET
def box_download(request, code: str, year: int, fmt: str):
    if fmt not in ("json", "csv"):
        raise Http404(_("只能下载 JSON 或 CSV。"))
    round_ = box.round_for_box(actor=request.user, code=code, year=year)
    try:
        document = box.anonymous_ballots(round_=round_)
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from None
    name = f"ballots-{box.round_code(round_)}"
    if fmt == "csv":
        response = HttpResponse(box.anonymous_ballots_csv(document), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


@login_required
@require_POST
def recount(request, code: str, year: int):
    round_ = box.round_for_box(actor=request.user, code=code, year=year)
    try:
        result = box.recount(round_=round_)
    except ValidationError as exc:
        flash_service_error(request, exc)
        return redirect("evaluation:box", round_.branch.code, year)
    return _box_page(request, round_, recount=result)


RERUN_TEXTS = (
    gettext_lazy("%(name)s %(year)s 年度民主测评：重新投票"),
    gettext_lazy("确认重新投票"),
    gettext_lazy("重新投票已开始：新的监票人份额"),
)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def rerun(request, code: str, year: int):
    """Re-run the online vote (shares lost): a recorded decision with its reason."""
    return _scrutineers_step(
        request, code, year, counting.vote_rerun, _rerun_lines, RERUN_TEXTS, reason=True
    )


@login_required
@require_http_methods(["GET", "POST"])
def to_paper(request, code: str, year: int):
    """Fall back to paper ballots (shares lost): a recorded decision with its reason."""
    branch, round_ = _officer_round(request, code, year)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            counting.vote_to_paper(
                actor=request.user, round_=round_, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("已改为纸质选票，请两人分别录入票数。"))
            return redirect(round_)
    return _scrutineer_page(
        request,
        branch,
        round_,
        form,
        title=_("%(name)s %(year)s 年度民主测评：改为纸质选票")
        % {"name": branch.name, "year": year},
        lines=[
            _("已收到的 %(n)s 张加密选票将不经解密全部作废，网上投票结束。")
            % {"n": round_.sealed.count()},
            _("改为在会上用纸质选票投票，票数由两人分别录入且一致后计入。"),
            _("本决定及原因记入审计日志。"),
        ],
        submit=_("确认改为纸质选票"),
        status=400 if request.method == "POST" else 200,
    )
