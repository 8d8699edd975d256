from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("jobs/", views.job_list, name="list"),
    path("jobs/<id:pk>/", views.job_detail, name="detail"),
    path("jobs/<id:pk>/file/", views.job_download, name="file"),
]
