from django.apps import AppConfig


class SheetsConfig(AppConfig):
    name = "kaoping.sheets"
    label = "sheets"
