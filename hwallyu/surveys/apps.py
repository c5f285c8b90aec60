from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "hwallyu.surveys"
    label = "surveys"
    verbose_name = "행정만족도 조사"

    def ready(self) -> None:
        from hwallyu.core.navigation import NavItem, register_dashboard, register_section
        from hwallyu.core.registry import register_bench, register_demo, register_periodic
        from hwallyu.org.models import Role
        from hwallyu.surveys import bench, demo, selectors, tasks

        office = frozenset({Role.ADMIN, Role.PLANNING, Role.AUDIT})
        register_section(
            "surveys",
            "행정만족도",
            45,
            [
                NavItem("조사 회차", "surveys:list", roles=office | {Role.EXECUTIVE}),
                NavItem("문항 템플릿", "surveys:templates", roles=office),
                NavItem("수신 거부 번호", "surveys:optouts", roles=office),
            ],
        )
        register_dashboard(
            "행정만족도 조사", selectors.dashboard_cards, key="surveys", visible=selectors.dashboard_visible, order=45
        )
        register_demo("행정만족도", demo.load, order=50)
        register_bench("만족도조사", bench.generate, pages=bench.pages, order=60)
        register_periodic("surveys.sweep", tasks.survey_sweep, every_seconds=5 * 60)
