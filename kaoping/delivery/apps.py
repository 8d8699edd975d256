from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "kaoping.delivery"
    label = "delivery"

    def ready(self) -> None:
        from kaoping.notifications.services import notification_hook_add

        from .services import deliveries_plan

        notification_hook_add(deliveries_plan)
