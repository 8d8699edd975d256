from django.urls import path

from . import views

app_name = "unqualified"
urlpatterns = [
    path("unqualified/", views.index, name="index"),
    path("unqualified/settings/<int:year>/", views.settings_edit, name="settings"),
    path("unqualified/<str:code>/", views.case_detail, name="detail"),
    path("unqualified/<str:code>/print/", views.case_print, name="print"),
    path("unqualified/<str:code>/evidence/<int:pk>/", views.case_evidence, name="evidence"),
    path("members/<str:code>/unqualified/", views.member_panel, name="member_panel"),
    path("branches/<str:code>/unqualified/", views.branch_cases, name="branch"),
    path("branches/<str:code>/unqualified/panel/", views.branch_panel, name="panel"),
    path("branches/<str:code>/unqualified/candidates/", views.candidate_action, name="candidate"),
]
