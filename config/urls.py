from django.contrib import admin
from django.urls import include, path

from kaoping.api.api import api
from kaoping.kit.urlparams import register_converters

register_converters()  # <code:…>, <year:…>, <id:…> for every app's URLs (kaoping/kit/urlparams.py)

urlpatterns = [
    # /healthz and /readyz (answered first by kaoping.ops.middleware.ProbeMiddleware).
    path("", include("kaoping.ops.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("kaoping.web.urls")),
    path("", include("kaoping.accounts.urls")),
    path("", include("kaoping.api.urls")),
    path("", include("kaoping.notifications.urls")),
    path("", include("kaoping.delivery.urls")),
    path("", include("kaoping.meetings.urls")),
    path("", include("kaoping.tasks.urls")),
    path("", include("kaoping.dues.urls")),
    path("", include("kaoping.inspections.urls")),
    path("", include("kaoping.claims.urls")),
    path("", include("kaoping.evaluation.urls")),
    path("", include("kaoping.publication.urls")),
    path("", include("kaoping.jobs.urls")),
    path("", include("kaoping.archive.urls")),
    path("", include("kaoping.unqualified.urls")),
    path("", include("kaoping.documents.urls")),
    path("", include("kaoping.monitoring.urls")),
    path("", include("kaoping.planning.urls")),
    path("", include("kaoping.onboarding.urls")),
    path("", include("kaoping.dashboards.urls")),
    path("", include("kaoping.workbench.urls")),
]

# Translated error pages, and JSON under /api/ (kaoping/web/errors.py).
handler404 = "kaoping.web.errors.page_not_found"
handler500 = "kaoping.web.errors.server_error"
