from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "kaoping.jobs"
    label = "jobs"
