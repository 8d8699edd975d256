from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("branches/<str:code>/tasks/", views.branch_tasks, name="branch"),
    path("tasks/mine/", views.my_tasks, name="mine"),
    path("tasks/<str:code>/", views.task_detail, name="detail"),
    path("tasks/<str:code>/submit/", views.task_submit, name="submit"),
    path("tasks/<str:code>/mark/", views.task_mark, name="mark"),
    path("tasks/<str:code>/close/", views.task_close, name="close"),
    path("tasks/<str:code>/file/<str:member>/", views.task_file, name="file"),
]
