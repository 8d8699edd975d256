from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """提醒: reminders on a schedule, before a meeting or a deadline and after a miss."""

    name = "kaoping.reminders"
    label = "reminders"

    def ready(self) -> None:
        # A malformed KAOPING_REMIND_* stops the start with the setting's name.
        from .timing import reminder_timing

        reminder_timing()
