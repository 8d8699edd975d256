from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "kaoping.scoring"
    label = "scoring"
