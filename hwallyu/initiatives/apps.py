from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "hwallyu.initiatives"
    label = "initiatives"
    verbose_name = "전략사업"

    def ready(self) -> None:
        from hwallyu.core.navigation import NavItem, register_dashboard, register_section
        from hwallyu.core.registry import register_bench, register_demo, register_periodic
        from hwallyu.initiatives import bench, demo
        from hwallyu.initiatives.dashboard import dashboard_cards, dashboard_visible
        from hwallyu.initiatives.tasks import milestone_reminder_sweep
        from hwallyu.org.models import Role

        office = frozenset({Role.ADMIN, Role.PLANNING})
        register_section(
            "initiatives",
            "전략사업",
            35,
            [
                NavItem("전략사업 현황", "initiatives:portfolio"),
                NavItem("동향 기록", "initiatives:trends"),
                NavItem("전략사업 등록", "initiatives:create", roles=office),
            ],
        )
        register_dashboard("전략사업", dashboard_cards, key="initiatives", visible=dashboard_visible, order=35)
        register_demo("전략사업", demo.load, order=80)
        register_bench("전략사업", bench.generate, pages=bench.pages, order=80)
        register_periodic("initiatives.reminders", milestone_reminder_sweep, every_seconds=3600)
