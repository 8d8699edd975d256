"""我的账号 (/account/) and the password change every first login must pass."""

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kaoping.kit.answers import form_answer, form_done
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import scope_for

from . import selectors
from .services.passwords import password_change_own


@login_required
@require_GET
def account_home(request):
    actor = request.user
    scope = scope_for(actor)
    member = Member.objects.filter(user=actor).only("code", "name").first()
    context = {
        "roles": list(selectors.own_roles(actor=actor)),
        "member": member,
        "sign_ins": list(selectors.own_sign_ins(actor=actor)),
        "staff": scope.is_staff_role,
        "password_form": PasswordChangeForm(actor),
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    """修改密码; a session that must change its password reaches only this page."""
    actor = request.user
    forced = bool(request.session.get(selectors.MUST_CHANGE_KEY))
    form = PasswordChangeForm(actor, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_change_own(actor=actor, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, actor)
        request.session.pop(selectors.MUST_CHANGE_KEY, None)
        return form_done(request, reverse("web:home"), _("密码已修改。"))
    context = {
        "form": form,
        "title": _("修改密码"),
        "intro": _("您正在使用他人设置的密码（初始密码或重置码），请先设置自己的新密码。")
        if forced
        else "",
        "action": reverse("accounts:password_change"),
        "submit": _("修改密码"),
        "back": reverse("accounts:account"),
        "plain": True,
    }
    return form_answer(request, context, status=400 if request.method == "POST" else 200)
