from django.urls import path

from . import views

app_name = "unqualified"
urlpatterns = [
    path("unqualified/", views.index, name="index"),
    path("unqualified/settings/<year:year>/", views.settings_edit, name="settings"),
    path("unqualified/<code:code>/", views.case_detail, name="detail"),
    path("unqualified/<code:code>/print/", views.case_print, name="print"),
    path("unqualified/<code:code>/evidence/<id:pk>/", views.case_evidence, name="evidence"),
    path("members/<code:code>/unqualified/", views.member_panel, name="member_panel"),
    path("branches/<code:code>/unqualified/", views.branch_cases, name="branch"),
    path("branches/<code:code>/unqualified/panel/", views.branch_panel, name="panel"),
    path("branches/<code:code>/unqualified/candidates/", views.candidate_action, name="candidate"),
]
