from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "hwallyu.org"
    label = "org"
    verbose_name = "조직"
