"""The pages of errors (config/urls.py ``handler404`` / ``handler500``): the translated
404 and 500 pages, and JSON for any path under /api/ (the API answers JSON only, even for
a path it does not know or an error outside an operation). Never a traceback, a URL list
or a setting: that is what DEBUG=False guarantees and ``KAOPING_DEBUG=1`` is for."""

from django.http import HttpResponseServerError
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from kaoping.api.errors import error_json


def _api(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception):
    if _api(request):
        return error_json(404, "not_found", _("接口不存在"))
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _api(request):
        return error_json(500, "server_error", _("服务器内部错误"))
    # Rendered without a context or the database: whatever failed may be the database.
    return HttpResponseServerError(loader.get_template("500.html").render())
