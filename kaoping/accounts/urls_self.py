from django.urls import path

from . import views_email, views_reset, views_self

LOGIN = "members/<code:code>/login/"  # a member's login, as their secretary sees it

urlpatterns = [
    path("account/", views_self.account_home, name="account"),
    path("account/password/", views_self.password_change, name="password_change"),
    path("password/reset-code/", views_reset.reset_code_redeem_view, name="reset_code_redeem"),
    path(LOGIN, views_reset.member_login_panel, name="member_login"),
    path(f"{LOGIN}reset-code/", views_reset.reset_code_issue_view, name="reset_code_issue"),
    path(f"{LOGIN}deactivate/", views_reset.deactivate_view, name="login_deactivate"),
    path(f"{LOGIN}reactivate/", views_reset.reactivate_view, name="login_reactivate"),
    path("password/reset/", views_email.ResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views_email.ResetSentView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views_email.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        views_email.ResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
