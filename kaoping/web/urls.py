from django.contrib.auth import views as auth_views
from django.urls import path

from . import exports, imports, views
from .auth_views import LoginView, two_factor

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.me, name="me"),
    path("me/two-factor/", two_factor, name="two_factor"),
    path("members/<code:code>/", views.member_detail, name="member"),
    path("members/<code:code>/edit/", views.member_edit, name="member_edit"),
    path("members/<code:code>/tally/", views.tally_edit, name="tally"),
    path("members/<code:code>/decision/", views.decision_edit, name="decision"),
    path("branches/<code:code>/", views.branch_detail, name="branch"),
    path(
        "branches/<code:code>/ledger/",
        views.ledger_publications_page,
        name="ledger_publications",
    ),
    path(
        "branches/<code:code>/ledger/<id:pk>/",
        views.ledger_publication_detail,
        name="ledger_publication",
    ),
    path("branches/<code:code>/entries/", views.entry_create, name="entry_create"),
    path("branches/<code:code>/entries/import/", imports.entries_import, name="entries_import"),
    path(
        "branches/<code:code>/entries/import/confirm/",
        imports.entries_import_confirm,
        name="entries_import_confirm",
    ),
    path("entries/template.xlsx", imports.entries_template, name="entries_template"),
    path("branches/<code:code>/entries.xlsx", exports.branch_entries_xlsx, name="entries_xlsx"),
    path("branches/<code:code>/results.xlsx", exports.branch_results_xlsx, name="results_xlsx"),
    path("branches/<code:code>/members/", views.member_create, name="member_create"),
    path("entries/<code:code>/reverse/", views.entry_reverse_view, name="entry_reverse"),
    path("overview/", views.overview, name="overview"),
    path("jobs/compute/", exports.results_compute_start, name="results_compute"),
    path("jobs/export-entries/", exports.entries_export_start, name="entries_export"),
    path("audit/", views.audit_log, name="audit"),
    path("organizations/", views.organization_create, name="organization_create"),
    path("organizations/<code:code>/", views.organization_edit, name="organization_edit"),
    path("schemes/", views.schemes, name="schemes"),
    path("schemes/<year:year>/", views.scheme_detail, name="scheme"),
    path("schemes/<year:year>/settings/", views.scheme_settings, name="scheme_settings"),
    path("schemes/<year:year>/items/", views.scheme_item_create, name="scheme_item_create"),
    path("schemes/<year:year>/items/<code:code>/", views.scheme_item_edit, name="scheme_item"),
]
