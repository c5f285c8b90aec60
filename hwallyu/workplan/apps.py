from django.apps import AppConfig


class WorkplanConfig(AppConfig):
    name = "hwallyu.workplan"
    label = "workplan"
    verbose_name = "업무계획"

    def ready(self) -> None:
        from hwallyu.core.navigation import NavItem, register_dashboard, register_section
        from hwallyu.core.registry import register_bench, register_demo
        from hwallyu.org.models import Role
        from hwallyu.workplan import bench, demo
        from hwallyu.workplan.dashboard import dashboard_cards

        office = frozenset({Role.ADMIN, Role.PLANNING})

        register_section(
            "workplan",
            "업무계획",
            20,
            [
                NavItem("주요업무계획", "workplan:index"),
                NavItem(
                    "사업 목록",
                    "workplan:current_projects",
                    also=frozenset(
                        {"workplan:projects", "workplan:project", "workplan:project_create", "workplan:project_edit"}
                    ),
                ),
                NavItem("월별 추진계획", "workplan:current_schedule", also=frozenset({"workplan:schedule"})),
                NavItem(
                    "사업비 조서",
                    "workplan:current_budget",
                    also=frozenset(
                        {
                            "workplan:budget",
                            "workplan:budget_import",
                            "workplan:budget_line_create",
                            "workplan:budget_line_edit",
                            "workplan:budget_execution",
                        }
                    ),
                ),
                NavItem("추진상황 보고", "workplan:current_report", also=frozenset({"workplan:report"})),
                NavItem("계획 가져오기", "workplan:plan_import", roles=office),
            ],
        )
        register_dashboard("업무계획", dashboard_cards, key="workplan", order=20)
        register_demo("업무계획", demo.load, order=20)
        register_bench("업무계획", bench.generate, pages=bench.pages, order=30)
