from django.urls import path

from kaoping.jobs.imports import import_paths

from . import views

app_name = "archive"
urlpatterns = [
    path("members/<code:code>/archive/", views.member_archive, name="member"),
    path("members/<code:code>/archive/profile/", views.profile_edit, name="profile"),
    path("members/<code:code>/archive/transfer/", views.transfer, name="transfer"),
    path("members/<code:code>/archive/lost/", views.lost_contact_mark, name="lost"),
    path("members/<code:code>/archive/found/", views.found, name="found"),
    path(
        "members/<code:code>/archive/investigation/",
        views.investigation_start,
        name="investigation_start",
    ),
    path(
        "members/<code:code>/archive/investigation/decide/",
        views.investigation_decide,
        name="investigation_decide",
    ),
    path("members/<code:code>/archive/exemptions/", views.exemption_add, name="exemption_add"),
    path("exemptions/<id:pk>/remove/", views.exemption_remove, name="exemption_remove"),
    path("branches/<code:code>/roster/", views.roster, name="roster"),
    path("branches/<code:code>/exemptions/", views.branch_exemptions, name="branch_exemptions"),
    path("branches/<code:code>/roster/export/", views.roster_export, name="roster_export"),
    *import_paths(
        "branches/<code:code>/roster/import/",
        views.roster_import_views,
        "roster_import",
    ),
    path("roster/template/", views.roster_template, name="roster_template"),
    path("organizations/<code:code>/12371/", views.export_12371, name="export_12371"),
    path("archive/lost-contact/", views.lost_contacts, name="lost_contacts"),
]
