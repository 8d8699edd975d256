"""Pages of the unqualified procedure: the reviewers' list, a branch's cases and
candidates, one case file with the actions open to the viewer, its print view and files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaoping.kit.confirm import confirm_page, confirmed
from kaoping.kit.evidence import content_type_for
from kaoping.kit.forms import apply_service_error
from kaoping.kit.tables import Column, Filter, TableSpec, table
from kaoping.kit.urlparams import parse_code, parse_year
from kaoping.ops.files import file_answer
from kaoping.orgs.selectors import (
    branch_voters,
    member_access_by_code,
    scope_for,
)
from kaoping.schemes.models import Scheme

from . import selectors, services
from .consequences import step_consequences
from .forms import (
    DismissForm,
    HandlingForm,
    ProposeForm,
    ResubmitForm,
    ReviewForm,
    SettingsForm,
    VoteForm,
)
from .models import CaseStep, Condition, UnqualifiedCase

Body = CaseStep.Body
State = UnqualifiedCase.State


def _condition_text(value: str) -> str:
    return _("第%(n)s种") % {"n": value}


_condition_label = lazy(_condition_text, str)  # in the language of the request


def _cases_spec(*, with_branch: bool) -> TableSpec:
    """The case lists: the newest first, filtered by state and condition. The branch's
    own list (names in full) searches the code and the member's name; the reviewers'
    list (names masked) only the code and the branch, so a search cannot reveal a name."""
    columns = [
        Column("code", _lazy("编号"), order=("code",)),
        Column("member", _lazy("党员"), order=("member__code",)),
        Column("condition", _lazy("情形"), order=("condition",)),
        Column("state", _lazy("状态"), order=("state",)),
        Column("round", _lazy("轮次"), order=("round",), num=True),
        Column("created", _lazy("提出时间"), order=("created_at",)),
    ]
    if with_branch:
        columns.insert(2, Column("branch", _lazy("支部"), order=("branch__path",)))
    return TableSpec(
        columns=tuple(columns),
        default_sort="-created",
        search=("code", "branch__name") if with_branch else ("code", "member__name"),
        search_label=_lazy("编号、支部") if with_branch else _lazy("编号、姓名"),
        filters=(
            Filter("state", _lazy("状态"), State.choices, lookup="state"),
            Filter(
                "condition",
                _lazy("情形"),
                [(v, _condition_label(v)) for v in Condition.values],
                lookup="condition",
            ),
        ),
    )


INDEX_CASES_TABLE = _cases_spec(with_branch=True)
BRANCH_CASES_TABLE = _cases_spec(with_branch=False)


def _year(request) -> int:
    year = parse_year(request.GET.get("year") or request.POST.get("year"))
    if year is not None and Scheme.objects.filter(year=year).exists():
        return year
    return selectors.current_year()


def _branch(request, code: str, *, body: str | None = None):
    """The branch if the viewer acts for a body on it (``selectors.branch_for_bodies``)."""
    return selectors.branch_for_bodies(actor=request.user, code=code, body=body)


@login_required
@require_GET
def index(request):
    """Cases awaiting the viewer, every case they may see, and the raised candidates."""
    actor = request.user
    visible = selectors.cases_visible(actor=actor)
    awaiting = selectors.cases_awaiting(actor=actor)
    if not awaiting and not visible.exists() and not selectors.acts_anywhere(actor):
        raise Http404(_("您没有需要查看或办理的不合格党员处置案件。"))
    year = _year(request)
    cases = table(request, visible, INDEX_CASES_TABLE)
    candidates = selectors.candidates_visible(actor=actor, year=year)
    context = {
        "awaiting": _rows(actor, awaiting),
        "cases": cases,
        "case_rows": _rows(actor, cases.rows),
        "candidates": _rows(actor, candidates),
        "year": year,
        "years": list(Scheme.objects.order_by("-year").values_list("year", flat=True)),
        "can_set": scope_for(actor).is_scheme_admin,
    }
    return render(request, "unqualified/index.html", context)


def _rows(actor, items) -> list[dict]:
    """List rows with the member's name masked unless the viewer keeps the branch."""
    cache: dict[int, bool] = {}
    rows = []
    for item in items:
        member = item.member
        if member.branch_id not in cache:
            cache[member.branch_id] = selectors.names_visible(actor, member.branch)
        name = member.name if cache[member.branch_id] else selectors.mask_name(member.name)
        rows.append({"item": item, "name": name, "branch": member.branch})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def branch_cases(request, code: str):
    """A branch's cases and candidates; its secretaries propose here."""
    actor = request.user
    branch = _branch(request, code)
    may_propose = Body.BRANCH in selectors.bodies_for(actor, branch)
    year = _year(request)
    members = selectors.proposable_members(branch=branch)
    form = ProposeForm(request.POST or None, request.FILES or None, members=members)
    status = 200
    if request.method == "POST":
        if not may_propose:
            raise PermissionDenied(_("只有党支部可以提出处置。"))
        if form.is_valid():
            d = form.cleaned_data
            try:
                case = services.case_propose(
                    actor=actor,
                    member=d["member"],
                    condition=d["condition"],
                    facts=d["facts"],
                    year=year,
                    files=d["files"],
                    notify=d["notify"],
                )
            except ValidationError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("已提出处置意见。%(next)s") % {"next": selectors.next_step_text(case)},
                )
                return redirect(reverse("unqualified:detail", args=[case.code]))
        status = 400
    cases = table(
        request, selectors.cases_of_branch(actor=actor, branch=branch), BRANCH_CASES_TABLE
    )
    context = {
        "branch": branch,
        "year": year,
        "cases": cases,
        "case_rows": _rows(actor, cases.rows),
        "candidates": _rows(
            actor, selectors.candidates_of_branch(actor=actor, branch=branch, year=year)
        ),
        "form": form if may_propose else None,
        "may_propose": may_propose,
        "dismiss_form": DismissForm(),
    }
    return render(request, "unqualified/branch.html", context, status=status)


@login_required
@require_GET
def branch_panel(request, code: str):
    """The branch page's card (htmx): open cases and candidates of the year."""
    actor = request.user
    branch = _branch(request, code)
    year = _year(request)
    context = {
        "branch": branch,
        "year": year,
        "open_cases": selectors.cases_of_branch(actor=actor, branch=branch)
        .filter(state__in=UnqualifiedCase.OPEN_STATES)
        .count(),
        "candidates": _rows(
            actor, selectors.candidates_of_branch(actor=actor, branch=branch, year=year)
        ),
    }
    return render(request, "unqualified/_panel.html", context)


@login_required
@require_GET
def member_panel(request, code: str):
    """The member page's card (htmx): the member's cases, for those who act on them."""
    member = member_access_by_code(actor=request.user, code=code)
    cases = selectors.cases_of_member(actor=request.user, member=member)
    return render(request, "unqualified/_member_panel.html", {"member": member, "cases": cases})


@login_required
@require_POST
def candidate_action(request, code: str):
    """One click on a candidate: turn it into a proposal, or dismiss it with a reason."""
    actor = request.user
    branch = _branch(request, code, body=Body.BRANCH)
    member = branch.members.filter(code=parse_code(request.POST.get("member"))).first()
    condition = request.POST.get("condition", "")
    if member is None:
        raise Http404(_("找不到这名党员。"))
    year = _year(request)
    back = reverse("unqualified:branch", args=[branch.code]) + f"?year={year}"
    try:
        if request.POST.get("action") == "propose":
            case = services.candidate_propose(
                actor=actor, member=member, year=year, condition=condition
            )
            messages.success(
                request,
                _("已根据候选提示提出处置意见。%(next)s")
                % {"next": selectors.next_step_text(case)},
            )
            return redirect(reverse("unqualified:detail", args=[case.code]))
        form = DismissForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("排除候选提示须说明理由。"))
        services.candidate_dismiss(
            actor=actor,
            member=member,
            year=year,
            condition=condition,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("已排除 %(name)s 的候选提示。") % {"name": member.name})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(back)


def _review_form(actor, case, data=None):
    """The pre-review or approval form for the bodies the viewer acts for and that have not
    acted yet, or None."""
    choices = [(b, Body(b).label) for b in selectors.review_choices(actor=actor, case=case)]
    if not choices:
        return None
    no_label = _("退回支部") if case.state == State.PRE_REVIEW else _("不予批准")
    return ReviewForm(data, bodies=choices, no_label=no_label, prefix="review")


def _forms(actor, case, bodies, request=None, action=None) -> dict:
    data = request.POST if request is not None else None
    files = request.FILES if request is not None else None
    branch = Body.BRANCH in bodies

    def bound(name):
        return (data, files) if action == name else (None, None)

    forms = {"review_form": _review_form(actor, case, bound("review")[0])}
    forms["resubmit_form"] = (
        ResubmitForm(*bound("resubmit"), initial={"facts": case.facts}, prefix="resubmit")
        if branch and case.state == State.RETURNED
        else None
    )
    forms["vote_form"] = (
        VoteForm(
            bound("vote")[0],
            prefix="vote",
            # the roster's count of members with a vote, as the service checks it
            initial={"entitled": branch_voters(branch=case.branch).count()},
        )
        if branch and case.state == State.VOTE
        else None
    )
    forms["handling_form"] = (
        HandlingForm(bound("handling")[0], prefix="handling")
        if branch and case.state == State.DETERMINED
        else None
    )
    return forms


def _act(actor, case, action: str, form) -> None:
    d = form.cleaned_data
    if action == "review":
        call = services.case_pre_review if case.state == State.PRE_REVIEW else services.case_approve
        call(
            actor=actor,
            case=case,
            body=d["body"],
            approve=d["decision"] == "approve",
            reason=d["reason"],
        )
    elif action == "resubmit":
        services.case_resubmit(actor=actor, case=case, facts=d["facts"], files=d["files"])
    elif action == "vote":
        services.case_vote_record(actor=actor, case=case, **d)
    else:
        services.case_handling_record(actor=actor, case=case, **d)


def _confirmation(request, case, action: str, form):
    """A decision step (a review opinion, the vote, the handling) posted without
    ``confirm``: its consequences, nothing recorded (kit.confirm); None once confirmed,
    for the resubmission (its files cannot be posted again) and for a refusal without
    its reason (the service says so on the form)."""
    d = form.cleaned_data
    if confirmed(request) or action not in ("review", "vote", "handling"):
        return None
    if action == "review" and d["decision"] != "approve" and not d["reason"].strip():
        return None
    return confirm_page(
        request,
        title=_("确认办理案卷 %(code)s") % {"code": case.code},
        consequences=step_consequences(case=case, action=action, data=d),
        submit=_("确认"),
        back=reverse("unqualified:detail", args=[case.code]),
    )


def _step_done(action: str, case) -> str:
    """The success message of a step: what was recorded, what happens next, who acts."""
    names = {"name": case.member.name, "code": case.code}
    if action == "handling":
        return _("已记录 %(name)s 的后续处理（案卷 %(code)s）。") % names
    names["next"] = selectors.next_step_text(case)
    if action == "review":
        return _("已记录对 %(name)s 案卷 %(code)s 的审查意见。%(next)s") % names
    if action == "resubmit":
        return _("已重新提交 %(name)s 的案卷 %(code)s。%(next)s") % names
    if action == "vote":
        return _("已记录党员大会对 %(name)s 的表决。%(next)s") % names
    return _("已记录案卷 %(code)s 的办理。%(next)s") % names


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request, code: str):
    actor = request.user
    case = selectors.case_access_by_code(actor=actor, code=code)
    bodies = selectors.bodies_for(actor, case.branch)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        forms = _forms(actor, case, bodies, request, action)
        form = forms.get(f"{action}_form")
        if form is None:
            try:
                selectors.step_open_check(actor=actor, case=case, action=action)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:  # open, but the form's field is not there (an unknown action)
                messages.error(request, _("该环节已办理或当前不能办理。"))
            return redirect(reverse("unqualified:detail", args=[case.code]))
        if form.is_valid() and (asked := _confirmation(request, case, action, form)):
            return asked
        if form.is_valid():
            try:
                _act(actor, case, action, form)
            except ValidationError as exc:
                apply_service_error(form, exc)
            else:
                case.refresh_from_db()
                messages.success(request, _step_done(action, case))
                return redirect(reverse("unqualified:detail", args=[case.code]))
        status = 400
    else:
        forms = _forms(actor, case, bodies)
    file = selectors.case_file(case=case)
    context = {
        "case": case,
        "file": file,
        "steps": selectors.case_steps(case=case, file=file),
        "pending": [Body(b).label for b in sorted(selectors.pending_bodies(case))],
        **forms,
    }
    return render(request, "unqualified/case.html", context, status=status)


@login_required
@require_GET
def case_print(request, code: str):
    case = selectors.case_access_by_code(actor=request.user, code=code)
    context = {"case": case, "file": selectors.case_file(case=case), "printed_at": timezone.now()}
    return render(request, "unqualified/print.html", context)


@login_required
@require_GET
def case_evidence(request, code: str, pk: int):
    """An evidence file, only to those who may see the case (404 otherwise)."""
    case = selectors.case_access_by_code(actor=request.user, code=code)
    evidence = case.evidence.filter(pk=pk).first()
    if evidence is None:
        raise Http404(_("找不到这份材料。"))
    name = evidence.name or evidence.file.name.rsplit("/", 1)[-1]
    return file_answer(evidence.file, filename=name, content_type=content_type_for(name))


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request, year: int):
    """The working committee sets the year's vote rule and candidate thresholds."""
    actor = request.user
    selectors.settings_year(actor=actor, year=year)
    current = selectors.settings_for(year)
    form = SettingsForm(
        request.POST or None,
        initial={
            "vote_basis": current.vote_basis,
            "absence_months": current.absence_months,
            "dues_months": current.dues_months,
        },
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.settings_set(actor=actor, year=year, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("已保存 %(year)s 年度设置。") % {"year": year})
                return redirect(reverse("unqualified:settings", args=[year]))
        status = 400
    return render(request, "unqualified/settings.html", {"form": form, "year": year}, status=status)
