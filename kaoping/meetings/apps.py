from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "kaoping.meetings"
    label = "meetings"
