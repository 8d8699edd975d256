from django.urls import path

from . import exports, views

app_name = "inspections"
urlpatterns = [
    path("supervision/", views.groups, name="groups"),
    path("supervision/groups/<str:code>/", views.group_register, name="group"),
    path("supervision/groups/<str:code>/register.xlsx", exports.group_register_xlsx, name="xlsx"),
    path("supervision/inspections/<str:code>/", views.inspection_detail, name="detail"),
    path("supervision/findings/<int:pk>/file/", views.finding_file, name="file"),
]
