from django.urls import path

from . import views

app_name = "publication"
urlpatterns = [
    path("pub/<code:code>/<year:year>/", views.branch_page, name="branch"),
    path("pub/<code:code>/<year:year>/publish/", views.publish, name="publish"),
    path("pub/<code:code>/<year:year>/print/", views.printable, name="print"),
    path("pub/<code:code>/<year:year>/finalise/", views.finalise, name="finalise"),
    path("pub/<code:code>/<year:year>/reopen/", views.reopen, name="reopen"),
    path("appeals/<year:year>/new/", views.appeal_new, name="appeal_new"),
    path("appeals/<code:code>/answer/", views.appeal_answer, name="appeal_answer"),
    path("pub/member/<code:code>/<year:year>/", views.member_panel, name="member_panel"),
]
