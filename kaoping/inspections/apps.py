from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "kaoping.inspections"
    label = "inspections"
