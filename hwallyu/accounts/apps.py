from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hwallyu.accounts"
    label = "accounts"
    verbose_name = "계정"

    def ready(self) -> None:
        from hwallyu.core.navigation import NavItem, register_section
        from hwallyu.org.models import Role

        register_section(
            "account",
            "내 계정",
            95,
            [
                NavItem("내 계정", "accounts:settings"),
                NavItem("보안 정책", "accounts:security", roles=frozenset({Role.ADMIN})),
            ],
        )
