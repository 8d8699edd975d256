from django.urls import path

from . import views

app_name = "publication"
urlpatterns = [
    path("pub/<str:code>/<int:year>/", views.branch_page, name="branch"),
    path("pub/<str:code>/<int:year>/publish/", views.publish, name="publish"),
    path("pub/<str:code>/<int:year>/print/", views.printable, name="print"),
    path("pub/<str:code>/<int:year>/finalise/", views.finalise, name="finalise"),
    path("pub/<str:code>/<int:year>/reopen/", views.reopen, name="reopen"),
    path("appeals/<int:year>/new/", views.appeal_new, name="appeal_new"),
    path("appeals/<str:code>/answer/", views.appeal_answer, name="appeal_answer"),
    path("pub/member/<str:code>/<int:year>/", views.member_panel, name="member_panel"),
]
