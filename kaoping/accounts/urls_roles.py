from django.urls import path

from . import views_roles

urlpatterns = [
    path("accounts/<code:code>/roles/", views_roles.roles, name="roles"),
    path(
        "accounts/<code:code>/roles/<id:pk>/revoke/",
        views_roles.role_revoke_view,
        name="role_revoke",
    ),
]
