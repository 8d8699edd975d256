"""The organisation's accounts (/accounts/): who has a login, issuing logins (confirmed
first), and the batch page with the slips' one-time downloads."""

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kaoping.jobs.services import job_start
from kaoping.kit.answers import form_done
from kaoping.orgs.models import DEPARTED_STATUSES, Organization
from kaoping.orgs.selectors import organization_access_by_code, scope_for
from kaoping.sheets.xlsx import XLSX_TYPE

from . import selectors
from .forms import UsernameRuleForm
from .models import AccountPolicy
from .services.logins import account_policy_set, logins_candidates, logins_issue, slips_open
from .slips import slips_pdf, slips_xlsx_write

LIST_LIMIT = 2000


def site_address(request) -> str:
    return settings.KAOPING_SITE_URL or request.build_absolute_uri("/")


@login_required
@require_http_methods(["GET", "POST"])
def accounts_index(request):
    actor = request.user
    selectors.accounts_access(actor=actor)
    is_admin = scope_for(actor).is_scheme_admin
    committee = selectors.district_committee() if is_admin else None
    form = None
    status = 200
    if committee is not None:
        policy = AccountPolicy.objects.filter(committee=committee).first()
        form = UsernameRuleForm(
            request.POST or None,
            initial={"username_rule": policy.username_rule} if policy else {},
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("只有党工委管理员可以设置账号规则。"))
        if form.is_valid():
            account_policy_set(
                actor=actor, committee=committee, username_rule=form.cleaned_data["username_rule"]
            )
            return form_done(request, reverse("accounts:index"), _("已保存用户名规则。"))
        status = 400
    context = {
        "branches": list(selectors.managed_branches(actor=actor)[:LIST_LIMIT]),
        "form": form,
    }
    return render(request, "accounts/index.html", context, status=status)


def _organization(actor, code: str) -> Organization:
    selectors.accounts_access(actor=actor)
    return organization_access_by_code(actor=actor, code=code, manage=True)


@login_required
def accounts_branch(request, code: str):
    actor = request.user
    org = _organization(actor, code)
    members = list(selectors.accounts_of(actor=actor, organization=org)[:LIST_LIMIT])
    context = {
        "org": org,
        "members": members,
        "without": sum(
            1 for m in members if m.user_id is None and m.status not in DEPARTED_STATUSES
        ),
        "gone": DEPARTED_STATUSES,
        "batches": selectors.slip_batches_of(organization=org, limit=5),
        "rule": AccountPolicy.UsernameRule(selectors.username_rule_for(org)).label,
    }
    return render(request, "accounts/branch.html", context)


def _issue_in_background(request, org: Organization, codes: list[str] | None, many: int):
    """Many logins: a job hashes their passwords; its page leads to the batch page."""
    from .background import logins_issue_task

    job = job_start(
        actor=request.user,
        kind="accounts.logins_issue",
        title=_("为 %(org)s 的 %(n)s 名党员开通账号") % {"org": org.name, "n": many},
        task=logins_issue_task,
        organization=org,
        params={"members": codes} if codes is not None else {},
    )
    return form_done(request, reverse("jobs:detail", args=[job.pk]))


@login_required
@require_POST
def accounts_issue(request, code: str):
    """Without ``confirm``: what will happen, for whom (nothing done yet); with it: the
    logins, then the batch page with the downloads."""
    actor = request.user
    org = _organization(actor, code)
    selected = request.POST.get("scope") == "selected"
    codes = request.POST.getlist("members")[: LIST_LIMIT + 1] if selected else None
    back = reverse("accounts:branch", args=[org.code])
    if selected and not codes:
        messages.error(request, _("请先选择党员。"))
        return form_done(request, back)
    if request.POST.get("confirm") == "1":
        try:
            many = len(logins_candidates(actor=actor, organization=org, member_codes=codes))
            if many > settings.KAOPING_LOGINS_INLINE_MAX:
                return _issue_in_background(request, org, codes, many)
            batch = logins_issue(actor=actor, organization=org, member_codes=codes)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return form_done(request, back)
        return form_done(
            request,
            reverse("accounts:batch", args=[batch.pk]),
            _("已为 %(n)s 名党员开通账号，请立即下载账号条。") % {"n": len(batch.issued)},
        )
    refusal, members = "", []
    try:
        members = logins_candidates(actor=actor, organization=org, member_codes=codes)
    except ValidationError as exc:
        refusal = " ".join(exc.messages)
    rule = AccountPolicy.UsernameRule(selectors.username_rule_for(org)).label
    minutes = settings.KAOPING_SLIP_TTL_MINUTES
    context = {
        "title": _("确认开通账号：%(org)s") % {"org": org.name},
        "intro": _("将为 %(n)s 名党员开通账号。") % {"n": len(members)},
        "consequences": [
            _("为每人建立登录账号，用户名为%(rule)s。") % {"rule": rule},
            _("每人获得一个一次性初始密码，系统只保存其加密摘要。"),
            _(
                "初始密码只在账号条（PDF 和 Excel）各自的第一次下载中显示，"
                "且须在 %(minutes)s 分钟内下载，之后不再显示。"
            )
            % {"minutes": minutes},
            _("党员首次登录后须修改密码。"),
        ],
        "names": [f"{m.name}（{m.code}）" for m in members],
        "names_label": _("开通账号的党员："),
        "refusal": refusal,
        "action": reverse("accounts:issue", args=[org.code]),
        "hidden": [("scope", "selected" if selected else "all")]
        + [("members", c) for c in codes or []],
        "submit": _("确认开通 %(n)s 个账号") % {"n": len(members)},
        "back": back,
    }
    return render(request, "web/confirm.html", context, status=400 if refusal else 200)


@login_required
def accounts_batch(request, pk: int):
    batch = selectors.slip_batch_access_by_id(actor=request.user, batch_id=pk)
    lines = list(batch.lines.select_related("member").order_by("member__code"))
    context = {
        "batch": batch,
        "lines": lines,
        "open": batch.sealed is not None and batch.expires_at > timezone.now(),
        "earlier": [
            b
            for b in selectors.slip_batches_of(organization=batch.organization)
            if b.pk != batch.pk
        ],
    }
    return render(request, "accounts/batch.html", context)


def _filename(batch, ext: str) -> str:
    return f"slips-{batch.organization.code}-{batch.pk}.{ext}"


@login_required
@require_POST
def accounts_slips_pdf(request, pk: int):
    batch = selectors.slip_batch_access_by_id(actor=request.user, batch_id=pk)
    slips = slips_open(actor=request.user, batch=batch, kind="pdf")
    title = _("账号条：%(org)s") % {"org": batch.organization.name}
    response = HttpResponse(slips_pdf(slips, site_address(request), title), "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(batch, "pdf")}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def accounts_slips_xlsx(request, pk: int):
    batch = selectors.slip_batch_access_by_id(actor=request.user, batch_id=pk)
    slips = slips_open(actor=request.user, batch=batch, kind="xlsx")
    out = io.BytesIO()
    slips_xlsx_write(out, slips, site_address(request))
    response = HttpResponse(out.getvalue(), XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(batch, "xlsx")}"'
    response["Cache-Control"] = "no-store"
    return response
