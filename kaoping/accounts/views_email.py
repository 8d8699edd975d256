"""Reset by email: Django's own views, with Chinese templates, only when a mail server is
configured (``KAOPING_EMAIL_HOST``); otherwise every step is a 404 and the link hidden."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from .services.passwords import password_reset_by_email_done


class _EmailOnly:
    def dispatch(self, request, *args, **kwargs):
        if not settings.KAOPING_EMAIL_RESET:
            raise Http404(_("本系统未配置邮件，请向管理员或支部书记申请重置码。"))
        return super().dispatch(request, *args, **kwargs)


class ResetView(_EmailOnly, auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class ResetSentView(_EmailOnly, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class ResetConfirmView(_EmailOnly, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        password_reset_by_email_done(user=form.user)
        return response


class ResetCompleteView(_EmailOnly, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
