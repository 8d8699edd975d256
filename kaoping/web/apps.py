from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kaoping.web"
    label = "web"
