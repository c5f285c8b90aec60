from django.apps import AppConfig


class DirectivesConfig(AppConfig):
    name = "hwallyu.directives"
    label = "directives"
    verbose_name = "지시사항"

    def ready(self) -> None:
        from hwallyu.core.navigation import NavItem, register_dashboard, register_section
        from hwallyu.core.registry import register_bench, register_demo, register_periodic
        from hwallyu.core.signals import calendar_changed
        from hwallyu.directives import bench, demo, tasks
        from hwallyu.directives.views import dashboard_cards
        from hwallyu.org.models import Role

        office = frozenset({Role.ADMIN, Role.PLANNING})
        readers = frozenset({Role.ADMIN, Role.PLANNING, Role.EXECUTIVE, Role.AUDIT})
        department = frozenset({Role.MANAGER, Role.STAFF})
        register_section(
            "directives",
            "지시사항",
            10,
            [
                NavItem("우리 부서 지시사항", "directives:inbox", roles=department),
                NavItem("지시사항 목록", "directives:list"),
                NavItem("지시사항 등록", "directives:create", roles=office),
                NavItem("회의 일괄 등록", "directives:bulk", roles=office),
                NavItem("분기별 점검", "directives:reviews", roles=readers),
                NavItem("기준 설정", "directives:scheme", roles=office),
            ],
        )
        register_dashboard("지시사항", dashboard_cards, key="directives", order=10)
        register_demo("지시사항", demo.load, order=30)
        register_bench("지시사항", bench.generate, pages=bench.pages, order=20)
        register_periodic("directives.reminders", tasks.sweep_directive_reminders, every_seconds=300)
        calendar_changed.connect(_on_calendar_changed, dispatch_uid="directives.recompute_due")


def _on_calendar_changed(sender, **kwargs):  # type: ignore[no-untyped-def]
    from hwallyu.directives.tasks import recompute_directive_due_times

    recompute_directive_due_times.enqueue()
