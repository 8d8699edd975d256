from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "kaoping.dues"
    label = "dues"
