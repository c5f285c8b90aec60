from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hwallyu.core"
    label = "core"
    verbose_name = "핵심"

    def ready(self) -> None:
        from hwallyu.core import signals  # noqa: F401
