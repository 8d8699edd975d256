from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "kaoping.claims"
    label = "claims"
