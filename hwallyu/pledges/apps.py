from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "hwallyu.pledges"
    label = "pledges"
    verbose_name = "공약"

    def ready(self) -> None:
        from hwallyu.core.navigation import NavItem, register_dashboard, register_section
        from hwallyu.core.registry import register_bench, register_demo
        from hwallyu.org.models import Role
        from hwallyu.pledges import bench, demo
        from hwallyu.pledges.dashboard import dashboard_cards

        office = frozenset({Role.ADMIN, Role.PLANNING})
        register_section(
            "pledges",
            "공약",
            30,
            [
                NavItem("공약 목록", "pledges:list"),
                NavItem("이행률", "pledges:stats"),
                NavItem("공약 분야", "pledges:categories", roles=office),
                NavItem("상태 체계", "pledges:scheme", roles=office),
                NavItem("공개 페이지 설정", "pledges:public_settings", roles=office),
            ],
        )
        register_dashboard("공약", dashboard_cards, key="pledges", order=30)
        register_demo("공약", demo.load, order=22)
        register_bench("공약", bench.generate, pages=bench.pages, order=35)
