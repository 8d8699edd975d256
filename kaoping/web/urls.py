from django.contrib.auth import views as auth_views
from django.urls import path

from kaoping.jobs.imports import import_paths

from .auth_views import LoginView, two_factor
from .views import app, branch, exports, imports, ledger, member, overview, schemes

LEDGER = "branches/<code:code>/ledger/"  # a branch's published ledgers (台账公示)
app_name = "web"
urlpatterns = [
    path("", overview.home, name="home"),
    path("manifest.webmanifest", app.manifest, name="manifest"),
    path("sw.js", app.service_worker, name="service_worker"),
    path("offline/", app.offline, name="offline"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", member.me, name="me"),
    path("me/two-factor/", two_factor, name="two_factor"),
    path("members/<code:code>/", member.member_detail, name="member"),
    path("members/<code:code>/edit/", member.member_edit, name="member_edit"),
    path("members/<code:code>/tally/", member.tally_edit, name="tally"),
    path("members/<code:code>/decision/", member.decision_edit, name="decision"),
    path("branches/<code:code>/", branch.branch_detail, name="branch"),
    path(LEDGER, ledger.ledger_publications_page, name="ledger_publications"),
    path(f"{LEDGER}<id:pk>/", ledger.ledger_publication_detail, name="ledger_publication"),
    path("branches/<code:code>/entries/", branch.entry_create, name="entry_create"),
    *import_paths(
        "branches/<code:code>/entries/import/",
        imports.entries_import_views,
        "entries_import",
    ),
    path("entries/template.xlsx", imports.entries_template, name="entries_template"),
    path("branches/<code:code>/entries.xlsx", exports.branch_entries_xlsx, name="entries_xlsx"),
    path("branches/<code:code>/results.xlsx", exports.branch_results_xlsx, name="results_xlsx"),
    path("branches/<code:code>/members/", branch.member_create, name="member_create"),
    path("entries/<code:code>/reverse/", ledger.entry_reverse_view, name="entry_reverse"),
    path("overview/", overview.overview, name="overview"),
    path("jobs/compute/", exports.results_compute_start, name="results_compute"),
    path("jobs/export-entries/", exports.entries_export_start, name="entries_export"),
    path("audit/", overview.audit_log, name="audit"),
    path("organizations/", overview.organization_create, name="organization_create"),
    path("organizations/<code:code>/", overview.organization_edit, name="organization_edit"),
    path("schemes/", schemes.schemes, name="schemes"),
    path("schemes/<year:year>/", schemes.scheme_detail, name="scheme"),
    path("schemes/<year:year>/settings/", schemes.scheme_settings, name="scheme_settings"),
    path("schemes/<year:year>/items/", schemes.scheme_item_create, name="scheme_item_create"),
    path("schemes/<year:year>/items/<code:code>/", schemes.scheme_item_edit, name="scheme_item"),
]
