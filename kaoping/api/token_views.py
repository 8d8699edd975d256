"""接口令牌 on the user's own account: create (name, expiry, read-only or not; the token
shown once) and
revoke. Offered to staff (the API serves officers' programs)."""

import contextlib
from datetime import timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kaoping.kit.answers import form_done
from kaoping.kit.text import PlainTextValidator
from kaoping.orgs.selectors import scope_for

from .models import ApiToken
from .services import api_token_create, api_token_revoke

EXPIRY_DAYS = [
    (30, gettext_lazy("30 天")),
    (90, gettext_lazy("90 天")),
    (180, gettext_lazy("180 天")),
    (365, gettext_lazy("一年")),
]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("名称"),
        max_length=100,
        validators=[PlainTextValidator(gettext_lazy("名称"))],
        help_text=gettext_lazy("用途，例如“统计报表脚本”。"),
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("有效期"), choices=EXPIRY_DAYS, coerce=int, initial=90
    )
    read_only = forms.BooleanField(
        label=gettext_lazy("只读"),
        required=False,
        help_text=gettext_lazy("只读令牌只能读取数据，任何写入都会被拒绝。"),
    )


def _require_staff(user) -> None:
    if not scope_for(user).is_staff_role:
        raise Http404(_("接口令牌只供党组织工作人员使用。"))


@never_cache  # the answer to a creation shows the token
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    actor = request.user
    _require_staff(actor)
    form = TokenCreateForm(request.POST or None)
    raw = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            expires_at = timezone.now() + timedelta(days=form.cleaned_data["days"])
            try:
                _token, raw = api_token_create(
                    actor=actor,
                    user=actor,
                    name=form.cleaned_data["name"],
                    expires_at=expires_at,
                    read_only=form.cleaned_data["read_only"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                status = 201
                form = TokenCreateForm()
    context = {
        "form": form,
        "raw": raw,
        "tokens": ApiToken.objects.filter(user=actor).order_by("-created_at", "-id")[:50],
        "now": timezone.now(),
    }
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke(request, pk: int):
    actor = request.user
    _require_staff(actor)
    token = get_object_or_404(ApiToken, pk=pk, user=actor)
    if request.POST.get("confirm") != "1":
        context = {
            "title": _("撤销令牌 %(prefix)s…（%(name)s）")
            % {"prefix": token.prefix, "name": token.name},
            "action": request.path,
            "submit": _("撤销"),
            "back": reverse("api_tokens:tokens"),
            "consequences": [_("使用这个令牌的程序立即无法再访问接口；撤销后不能恢复。")],
        }
        return render(request, "web/confirm.html", context)
    with contextlib.suppress(ValidationError):  # already revoked: the list says so
        api_token_revoke(actor=actor, token=token)
    message = _("令牌 %(prefix)s… 已撤销。") % {"prefix": token.prefix}
    return form_done(request, reverse("api_tokens:tokens"), message)
