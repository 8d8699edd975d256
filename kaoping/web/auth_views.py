"""Login with optional two-factor (django-otp TOTP) and the page where staff enrol."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from kaoping.kit.answers import form_page_again

from . import selectors, services
from .forms import LoginForm, TokenForm


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"email_reset": settings.KAOPING_EMAIL_RESET}

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.otp_device is not None:  # the session is verified by the token
            otp_login(self.request, form.otp_device)
        return response


def _qr_svg(uri: str) -> str:
    """The otpauth URI as an SVG QR code, made on the server (no script, no inline style)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    assert "style=" not in svg and "<script" not in svg  # the CSP forbids both
    return svg.replace("<svg ", '<svg class="qr" role="img" aria-label="QR" ', 1)


def _secret(device) -> str:
    return base64.b32encode(device.bin_key).decode()


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """两步验证: enrol (scan, then confirm with a token), check the session with a token
    (when it is required), or switch it off with a token."""
    actor = request.user
    if not selectors.two_factor_allowed(actor):
        raise Http404(_("两步验证只供党组织工作人员使用。"))
    device = selectors.two_factor_device(actor)
    form = TokenForm(request.POST or None)
    action = request.POST.get("action")
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        try:
            if action == "remove":
                services.totp_device_remove(actor=actor, token=token)
                messages.success(request, _("已关闭两步验证。"))
                return redirect("web:two_factor")
            if action == "verify" and device is not None:
                if not device.verify_token(token.strip()):
                    raise ValidationError({"token": _("动态口令不正确或已过期。")})
                otp_login(request, device)
                messages.success(request, _("已通过两步验证。"))
                return redirect("web:home")
            device = services.totp_device_confirm(actor=actor, token=token)
            otp_login(request, device)
            messages.success(request, _("已启用两步验证，以后登录时须输入动态口令。"))
            return redirect("web:two_factor")
        except ValidationError as exc:
            for message in exc.message_dict.get("token", exc.messages):
                form.add_error("token", message)
    context = {
        "form": form,
        "device": device,
        "verified": actor.is_verified(),
        "required": selectors.two_factor_required(actor),
        "action_url": reverse("web:two_factor"),
    }
    if device is None:
        pending = services.totp_device_pending(actor=actor)
        context["qr_svg"] = mark_safe(_qr_svg(pending.config_url))  # noqa: S308 - our SVG
        context["secret"] = _secret(pending)
        context["uri"] = pending.config_url
    return form_page_again(request, "web/two_factor.html", context)
