from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kaoping.notifications"
    label = "notifications"
