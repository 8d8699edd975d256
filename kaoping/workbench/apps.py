from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """工作台: each person's home, what waits for their action now."""

    name = "kaoping.workbench"
    label = "workbench"
