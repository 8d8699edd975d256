from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kaoping.api"
    label = "api"
