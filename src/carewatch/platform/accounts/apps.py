from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "carewatch.platform.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"
