from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "kaoping.monitoring"
    label = "monitoring"
    verbose_name = "监测预警"
