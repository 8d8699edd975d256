from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "kaoping.dashboards"
    label = "dashboards"
