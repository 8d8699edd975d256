from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("monitoring/", views.index, name="index"),
    path("monitoring/settings/<year:year>/", views.settings_edit, name="settings"),
]
