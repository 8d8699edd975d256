"""Reset codes: issued (confirm page, shown once) by the admin or the member's secretary
from the member's page; redeemed on the public page /password/reset-code/. Closing and
reopening a member's login."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaoping.kit.answers import FORM_PAGE, form_done, swaps_into_target
from kaoping.orgs.selectors import member_access_by_code, scope_for

from .forms_self import DeactivateForm, ResetCodeRedeemForm
from .services.passwords import (
    ResetCodeRefused,
    account_deactivate,
    account_reactivate,
    reset_code_issue,
    reset_code_redeem,
)


def _managed_member(request, code: str):
    return member_access_by_code(actor=request.user, code=code, manage=True)


def _member_url(member) -> str:
    return reverse("web:member", kwargs={"code": member.code})


@login_required
@require_GET
def member_login_panel(request, code: str):
    """The login block of a member's page, for those who manage the member."""
    member = member_access_by_code(actor=request.user, code=code)
    context = {
        "member": member,
        "login": member.user,
        "can_manage": scope_for(request.user).manages(member.branch.path),
    }
    fragment = swaps_into_target(request)
    template = "accounts/_member_login.html" if fragment else "accounts/member_login.html"
    return render(request, template, context)


@never_cache  # the page shows the code
@login_required
@require_http_methods(["GET", "POST"])
def reset_code_issue_view(request, code: str):
    member = _managed_member(request, code)
    context = {
        "title": _("为 %(name)s 签发重置码") % {"name": member.name},
        "action": request.path,
        "submit": _("签发重置码"),
        "back": _member_url(member),
        "consequences": [
            _("生成一个一次性重置码，只显示这一次；请当面或电话告知本人。"),
            _("此前签发而未使用的重置码立即作废。"),
            _("本人凭用户名和重置码设置新密码；重置码 %(hours)s 小时内有效。")
            % {"hours": settings.KAOPING_RESET_CODE_HOURS},
        ],
    }
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            raw = reset_code_issue(actor=request.user, member=member)
        except ValidationError as exc:
            context["refusal"] = " ".join(exc.messages)
            return render(request, "web/confirm.html", context, status=400)
        return render(
            request,
            "accounts/reset_code_issued.html",
            {
                "member": member,
                "code": raw,
                "hours": settings.KAOPING_RESET_CODE_HOURS,
                "redeem_url": request.build_absolute_uri(reverse("accounts:reset_code_redeem")),
            },
        )
    return render(request, "web/confirm.html", context)


def _locked_out(request, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, credentials={"username": username})


@require_http_methods(["GET", "POST"])
def reset_code_redeem_view(request):
    """用重置码设置密码: public; wrong codes count as failed logins (django-axes)."""
    form = ResetCodeRedeemForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        username = (request.POST.get("username") or "")[:150]
        if _locked_out(request, username):
            return render(request, "web/locked_out.html", status=429)
        if form.is_valid():
            d = form.cleaned_data
            try:
                reset_code_redeem(username=d["username"], code=d["code"], password=d["password1"])
            except ValidationError as exc:
                if isinstance(exc, ResetCodeRefused):
                    request.kaoping_sign_in_method = "reset_code"
                    user_login_failed.send(
                        sender=__name__, credentials={"username": username}, request=request
                    )
                    form.add_error("code", exc)
                else:
                    form.add_error("password1", exc)
            else:
                return form_done(request, reverse("web:login"), _("新密码已设置，请用新密码登录。"))
    context = {
        "form": form,
        "title": _("用重置码设置密码"),
        "intro": _("重置码由机关工委管理员或您所在支部的书记签发，只能使用一次。"),
        "action": reverse("accounts:reset_code_redeem"),
        "submit": _("设置新密码"),
        "back": reverse("web:login"),
        "plain": True,
    }
    return render(request, FORM_PAGE, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def deactivate_view(request, code: str):
    member = _managed_member(request, code)
    form = DeactivateForm(request.POST or None)
    context = {
        "title": _("停用 %(name)s 的账号") % {"name": member.name},
        "action": request.path,
        "submit": _("停用账号"),
        "back": _member_url(member),
        "consequences": [
            _("本人不能再登录，已登录的会话随即失效。"),
            _("党员档案、评分台账和所有记录保留不变。"),
            _("管理员或支部书记可以再恢复这个账号。"),
        ],
        "form": form,
    }
    if request.method == "POST" and request.POST.get("confirm") == "1" and form.is_valid():
        try:
            reason = form.cleaned_data["reason"]
            account_deactivate(actor=request.user, member=member, reason=reason)
        except ValidationError as exc:
            context["refusal"] = " ".join(exc.messages)
            return render(request, "accounts/confirm_form.html", context, status=400)
        return form_done(
            request, _member_url(member), _("%(name)s 的账号已停用。") % {"name": member.name}
        )
    status = 400 if request.method == "POST" and request.POST.get("confirm") == "1" else 200
    return render(request, "accounts/confirm_form.html", context, status=status)


@login_required
@require_POST
def reactivate_view(request, code: str):
    member = _managed_member(request, code)
    if request.POST.get("confirm") != "1":
        return render(
            request,
            "web/confirm.html",
            {
                "title": _("恢复 %(name)s 的账号") % {"name": member.name},
                "action": request.path,
                "submit": _("恢复账号"),
                "back": _member_url(member),
                "consequences": [_("本人可以再用原来的密码登录。")],
            },
        )
    try:
        account_reactivate(actor=request.user, member=member)
    except ValidationError as exc:
        return render(
            request,
            "web/confirm.html",
            {
                "title": _("恢复 %(name)s 的账号") % {"name": member.name},
                "refusal": " ".join(exc.messages),
                "back": _member_url(member),
            },
            status=400,
        )
    return form_done(
        request, _member_url(member), _("%(name)s 的账号已恢复。") % {"name": member.name}
    )
