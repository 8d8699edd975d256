from django.urls import path

from . import exports, views

app_name = "dues"
urlpatterns = [
    path("branches/<code:code>/dues/", views.branch_dues, name="branch"),
    path("branches/<code:code>/dues/payments/", views.payment_create, name="payment"),
    path("branches/<code:code>/dues/rates/", views.rate_set, name="rate"),
    path("branches/<code:code>/dues/settings/", views.settings_set, name="settings"),
    path("branches/<code:code>/dues/close/", views.month_close, name="close"),
    path("branches/<code:code>/dues/import/", views.dues_import, name="import"),
    path(
        "branches/<code:code>/dues/import/confirm/",
        views.dues_import_confirm,
        name="import_confirm",
    ),
    path("branches/<code:code>/dues/export.xlsx", exports.dues_month_xlsx, name="xlsx"),
    path("dues/template.xlsx", views.import_template, name="template"),
]
