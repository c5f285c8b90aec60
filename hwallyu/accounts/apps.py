from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hwallyu.accounts"
    label = "accounts"
    verbose_name = "계정"
