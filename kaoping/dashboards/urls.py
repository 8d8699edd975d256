from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("dash/", views.home, name="home"),
    path("dash/me/", views.member_mine, name="mine"),
    path("dash/members/<code:code>/", views.member, name="member"),
    path("dash/members/<code:code>/ledger/print/", views.member_ledger_print, name="ledger_print"),
    path("dash/branches/<code:code>/", views.branch, name="branch"),
    path("dash/branches/<code:code>/report/print/", views.branch_report_print, name="report_print"),
    path("dash/committee/", views.committee, name="committee"),
    path("dash/screen/", views.screen, name="screen"),
]
