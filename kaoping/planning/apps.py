from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "kaoping.planning"
    label = "planning"
