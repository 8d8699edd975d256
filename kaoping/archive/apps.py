from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "kaoping.archive"
    label = "archive"
