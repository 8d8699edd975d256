from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "kaoping.tasks"
    label = "tasks"
