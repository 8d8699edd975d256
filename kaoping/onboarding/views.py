"""The guided start: one page of steps; each step's form posts to its own URL."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kaoping.accounts.forms import UsernameRuleForm
from kaoping.accounts.models import AccountPolicy
from kaoping.accounts.services.logins import account_policy_set
from kaoping.kit.answers import form_done, form_saved
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


def _step(request, form_class, form_name: str, save):
    """A step's form, posted: ``save(data)`` calls the service and says what was done;
    then the steps again, with the form's errors when it did not go through."""
    selectors.setup_access(actor=request.user)
    form = form_class(request.POST)
    if answer := form_saved(request, form, lambda d: (reverse("onboarding:start"), save(d))):
        return answer
    return _page(request, status=400, **{form_name: form})


def _organization_created(request, service, message: str):
    """A step's ``save`` that creates an organisation and names it in ``message``."""
    return lambda d: message % {"name": service(actor=request.user, **d).name}


@login_required
@require_POST
def committee(request):
    create = _organization_created(request, services.setup_committee_create, _("已建立 %(name)s。"))
    return _step(request, CommitteeForm, "committee_form", create)


@login_required
@require_POST
def branch(request):
    create = _organization_created(
        request, services.setup_branch_create, _("已添加支部 %(name)s。")
    )
    return _step(request, BranchForm, "branch_form", create)


@login_required
@require_POST
def scheme(request):
    def create(d):
        year = d["year"]
        if Scheme.objects.filter(year=year).exists():
            raise ValidationError({"year": _("%(year)s 年度考评方案已存在。") % {"year": year}})
        scheme_create(actor=request.user, year=year)
        return _("已按方案模板创建 %(year)s 年度考评方案。") % {"year": year}

    return _step(request, SchemeForm, "scheme_form", create)


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
