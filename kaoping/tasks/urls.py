from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("branches/<code:code>/tasks/", views.branch_tasks, name="branch"),
    path("tasks/mine/", views.my_tasks, name="mine"),
    path("tasks/<code:code>/", views.task_detail, name="detail"),
    path("tasks/<code:code>/submit/", views.task_submit, name="submit"),
    path("tasks/<code:code>/mark/", views.task_mark, name="mark"),
    path("tasks/<code:code>/close/", views.task_close, name="close"),
    path("tasks/<code:code>/file/<code:member>/", views.task_file, name="file"),
]
