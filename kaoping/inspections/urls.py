from django.urls import path

from . import exports, views

app_name = "inspections"
urlpatterns = [
    path("supervision/", views.groups, name="groups"),
    path("supervision/groups/<code:code>/", views.group_register, name="group"),
    path(
        "supervision/groups/<code:code>/members/",
        views.group_member_add,
        name="member_add",
    ),
    path(
        "supervision/groups/<code:code>/members/<id:pk>/remove/",
        views.group_member_remove,
        name="member_remove",
    ),
    path("supervision/groups/<code:code>/register.xlsx", exports.group_register_xlsx, name="xlsx"),
    path("supervision/inspections/<code:code>/", views.inspection_detail, name="detail"),
    path("supervision/findings/<id:pk>/file/", views.finding_file, name="file"),
]
