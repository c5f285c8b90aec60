from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "hwallyu.org"
    label = "org"
    verbose_name = "조직"

    def ready(self) -> None:
        from hwallyu.core.navigation import NavItem, register_dashboard, register_section
        from hwallyu.core.registry import register_bench, register_demo
        from hwallyu.org import bench, dashboard, demo
        from hwallyu.org.models import Role

        office = frozenset({Role.ADMIN, Role.PLANNING})
        register_section(
            "org",
            "조직 관리",
            80,
            [
                NavItem("부서 목록", "org:departments"),
                NavItem("직원", "org:people", office | {Role.MANAGER}),
                NavItem("국", "org:bureaus", office),
                NavItem("평가군", "org:groups", office),
                NavItem("조직도 가져오기", "org:import", office),
                NavItem("지방자치단체 정보", "org:city", office),
            ],
        )
        register_dashboard("조직", dashboard.cards, key="org", visible=dashboard.visible, order=80)
        register_demo("조직", demo.load, order=10)
        register_bench("조직", bench.generate, pages=bench.pages, order=10)
