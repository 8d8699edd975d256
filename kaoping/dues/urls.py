from django.urls import path

from kaoping.jobs.imports import import_paths

from . import exports, views

DUES = "branches/<code:code>/dues/"  # a branch's month and its forms

app_name = "dues"
urlpatterns = [
    path(DUES, views.branch_dues, name="branch"),
    path(f"{DUES}payments/", views.payment_create, name="payment"),
    path(f"{DUES}rates/", views.rate_set, name="rate"),
    path(f"{DUES}settings/", views.settings_set, name="settings"),
    path(f"{DUES}close/", views.month_close, name="close"),
    *import_paths(f"{DUES}import/", views.dues_import_views, "import"),
    path(f"{DUES}export.xlsx", exports.dues_month_xlsx, name="xlsx"),
    path("dues/template.xlsx", views.import_template, name="template"),
]
