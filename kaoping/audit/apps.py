from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kaoping.audit"
    label = "audit"
