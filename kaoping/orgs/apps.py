from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "kaoping.orgs"
    label = "orgs"
