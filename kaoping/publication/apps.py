from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "kaoping.publication"
    label = "publication"
