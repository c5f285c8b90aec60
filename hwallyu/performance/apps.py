from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "hwallyu.performance"
    label = "performance"
    verbose_name = "부서 성과관리"

    def ready(self) -> None:
        from hwallyu.core.navigation import NavItem, register_dashboard, register_section
        from hwallyu.core.registry import register_bench, register_demo
        from hwallyu.org.models import Role
        from hwallyu.performance import bench, demo, versioning
        from hwallyu.performance.views import dashboard_cards, dashboard_visible

        versioning.connect()
        office = frozenset({Role.ADMIN, Role.PLANNING})
        readers = frozenset({Role.ADMIN, Role.PLANNING, Role.EXECUTIVE, Role.AUDIT})
        department = frozenset({Role.MANAGER, Role.STAFF})
        register_section(
            "performance",
            "부서 성과관리",
            50,
            [
                NavItem("우리 부서 성과지표", "performance:mine", roles=department),
                NavItem("연도별 성과관리", "performance:index"),
                NavItem("검토 대기", "performance:latest_review", roles=office),
                NavItem("평가 결과", "performance:latest_results", roles=readers),
            ],
        )
        register_dashboard("부서 성과관리", dashboard_cards, key="performance", visible=dashboard_visible, order=50)
        register_demo("부서 성과관리", demo.load, order=60)
        register_bench("부서 성과평가", bench.generate, pages=bench.pages, order=65)
