from django.apps import AppConfig


class SchemesConfig(AppConfig):
    name = "kaoping.schemes"
    label = "schemes"
