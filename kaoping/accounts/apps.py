from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kaoping.accounts"
    label = "accounts"
    verbose_name = "账号"
