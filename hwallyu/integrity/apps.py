from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "hwallyu.integrity"
    label = "integrity"
    verbose_name = "청렴"

    def ready(self) -> None:
        from hwallyu.integrity import signals, wiring  # noqa: F401

        wiring.register()
