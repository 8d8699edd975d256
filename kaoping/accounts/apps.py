from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kaoping.accounts"
    label = "accounts"
    verbose_name = "账号"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the sign-in receivers
