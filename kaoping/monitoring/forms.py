from django import forms

from .models import MonitoringSettings

FIELDS = (
    "general_every",
    "committee_every",
    "group_every",
    "lecture_every",
    "absence_months",
    "dues_months",
    "evaluation_deadline",
    "appeal_days",
)


class SettingsForm(forms.Form):
    """The year's thresholds, with the model's fields, labels and limits."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(
            forms.fields_for_model(
                MonitoringSettings,
                fields=FIELDS,
                widgets={"evaluation_deadline": forms.DateInput(attrs={"type": "date"})},
            )
        )
