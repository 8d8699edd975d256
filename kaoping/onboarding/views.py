"""The guided start: one page of steps; each step's form posts to its own URL."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kaoping.accounts.forms import UsernameRuleForm
from kaoping.accounts.models import AccountPolicy
from kaoping.accounts.services.logins import account_policy_set
from kaoping.kit.answers import form_done
from kaoping.kit.forms import errors_on
from kaoping.schemes.models import Scheme
from kaoping.schemes.services import scheme_create

from . import selectors, services
from .forms import BranchForm, CommitteeForm, SchemeForm


def _page(
    request,
    *,
    committee_form=None,
    branch_form=None,
    scheme_form=None,
    rule_form=None,
    status=200,
):
    state = selectors.setup_state()
    policy = (
        AccountPolicy.objects.filter(committee=state.committee).first() if state.committee else None
    )
    context = {
        "policy": policy,
        "rule_form": rule_form
        or UsernameRuleForm(initial={"username_rule": policy.username_rule} if policy else {}),
        "state": state,
        "committee_form": committee_form or CommitteeForm(),
        "branch_form": branch_form or BranchForm(),
        "scheme_form": scheme_form or SchemeForm(initial={"year": selectors.default_year()}),
        "roster_urls": selectors.roster_urls(state),
    }
    return render(request, "onboarding/start.html", context, status=status)


@login_required
@require_GET
def start(request):
    selectors.setup_access(actor=request.user)
    return _page(request)


@login_required
@require_POST
def committee(request):
    selectors.setup_access(actor=request.user)
    form = CommitteeForm(request.POST)
    if form.is_valid():
        with errors_on(form):
            org = services.setup_committee_create(
                actor=request.user, code=form.cleaned_data["code"], name=form.cleaned_data["name"]
            )
            return form_done(
                request, reverse("onboarding:start"), _("已建立 %(name)s。") % {"name": org.name}
            )
    return _page(request, committee_form=form, status=400)


@login_required
@require_POST
def branch(request):
    selectors.setup_access(actor=request.user)
    form = BranchForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        with errors_on(form):
            org = services.setup_branch_create(
                actor=request.user, code=d["code"], name=d["name"], category=d["category"]
            )
            return form_done(
                request,
                reverse("onboarding:start"),
                _("已添加支部 %(name)s。") % {"name": org.name},
            )
    return _page(request, branch_form=form, status=400)


@login_required
@require_POST
def scheme(request):
    selectors.setup_access(actor=request.user)
    form = SchemeForm(request.POST)
    if form.is_valid():
        year = form.cleaned_data["year"]
        if Scheme.objects.filter(year=year).exists():
            form.add_error("year", _("%(year)s 年度考评方案已存在。") % {"year": year})
        else:
            scheme_create(actor=request.user, year=year)
            return form_done(
                request,
                reverse("onboarding:start"),
                _("已按方案模板创建 %(year)s 年度考评方案。") % {"year": year},
            )
    return _page(request, scheme_form=form, status=400)


@login_required
@require_POST
def username_rule(request):
    """The username rule of the logins to be created (member code by default)."""
    selectors.setup_access(actor=request.user)
    form = UsernameRuleForm(request.POST)
    committee = selectors.setup_state().committee
    if committee is None:
        form.add_error(None, _("请先建立机关工委。"))
    elif form.is_valid():
        policy = account_policy_set(
            actor=request.user,
            committee=committee,
            username_rule=form.cleaned_data["username_rule"],
        )
        return form_done(
            request,
            reverse("onboarding:start"),
            _("用户名规则：%(rule)s。") % {"rule": policy.get_username_rule_display()},
        )
    return _page(request, rule_form=form, status=400)
