from django.apps import AppConfig


class UnqualifiedConfig(AppConfig):
    name = "kaoping.unqualified"
    label = "unqualified"
