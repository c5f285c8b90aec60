from django.apps import AppConfig


class ProvinceConfig(AppConfig):
    name = "hwallyu.province"
    label = "province"
    verbose_name = "시군평가"

    def ready(self) -> None:
        from hwallyu.core.navigation import NavItem, register_dashboard, register_section
        from hwallyu.core.registry import register_bench, register_demo, register_periodic
        from hwallyu.core.signals import calendar_changed
        from hwallyu.org.models import Role
        from hwallyu.province import bench, demo, tasks
        from hwallyu.province.dashboard import dashboard_cards

        office = frozenset({Role.ADMIN, Role.PLANNING})
        readers = frozenset({Role.ADMIN, Role.PLANNING, Role.EXECUTIVE, Role.AUDIT})
        entering = frozenset({Role.ADMIN, Role.PLANNING, Role.MANAGER, Role.STAFF})
        register_section(
            "province",
            "시군평가",
            55,
            [
                NavItem("시군평가 현황", "province:home"),
                NavItem("실적 입력", "province:entry_current", roles=entering),
                NavItem("실적 검토", "province:review_current", roles=office),
                NavItem("부진지표", "province:lagging_current"),
                NavItem("보고회 자료", "province:pack_current", roles=readers),
                NavItem("시군 비교·가정 분석", "province:peers", roles=readers),
                NavItem("연도·기준 관리", "province:years", roles=office),
            ],
        )
        register_dashboard("시군평가", dashboard_cards, key="province", order=55)
        register_demo("시군평가", demo.load, order=70)
        register_bench("도 평가", bench.generate, pages=bench.pages, order=70)
        register_periodic("province.reminders", tasks.sweep_province_reminders, every_seconds=3600)
        calendar_changed.connect(_on_calendar_changed, dispatch_uid="province.recompute_deadlines")


def _on_calendar_changed(sender, **kwargs):  # type: ignore[no-untyped-def]
    from hwallyu.province.tasks import recompute_province_deadlines

    recompute_province_deadlines.enqueue()
