from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hwallyu.core"
    label = "core"
    verbose_name = "핵심"

    def ready(self) -> None:
        from hwallyu.core import (
            bench,
            signals,  # noqa: F401
        )
        from hwallyu.core.navigation import NavItem, register_section
        from hwallyu.core.registry import register_bench
        from hwallyu.org.models import Role

        register_bench("업무 달력", bench.generate_closures, order=12)
        register_bench("공통", bench.generate, pages=bench.pages, order=900)

        register_section(
            "settings",
            "설정·관리",
            90,
            [
                NavItem("업무일·휴무일", "core:calendar"),
                NavItem("감사 기록", "core:audit", roles=frozenset({Role.ADMIN, Role.PLANNING})),
            ],
        )
