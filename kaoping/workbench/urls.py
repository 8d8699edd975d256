from django.urls import path

from . import views

app_name = "workbench"
urlpatterns = [
    path("work/", views.home, name="home"),
]
