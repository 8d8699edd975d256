from django.urls import path

from . import exports, views

app_name = "inspections"
GROUP = "supervision/groups/<code:code>/"  # a group's register and members

urlpatterns = [
    path("supervision/", views.groups, name="groups"),
    path(GROUP, views.group_register, name="group"),
    path(f"{GROUP}members/", views.group_member_add, name="member_add"),
    path(f"{GROUP}members/<id:pk>/remove/", views.group_member_remove, name="member_remove"),
    path(f"{GROUP}register.xlsx", exports.group_register_xlsx, name="xlsx"),
    path("supervision/inspections/<code:code>/", views.inspection_detail, name="detail"),
    path("supervision/findings/<id:pk>/file/", views.finding_file, name="file"),
]
