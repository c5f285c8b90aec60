from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "hwallyu.reviews"
    label = "reviews"
    verbose_name = "심사분석"

    def ready(self) -> None:
        from hwallyu.core.navigation import NavItem, register_dashboard, register_section
        from hwallyu.core.registry import register_bench, register_demo, register_periodic
        from hwallyu.core.signals import calendar_changed
        from hwallyu.org.models import Role
        from hwallyu.reviews import bench, demo, services
        from hwallyu.reviews.dashboard import dashboard_cards, dashboard_visible
        from hwallyu.reviews.tasks import review_reminder_sweep

        office = frozenset({Role.ADMIN, Role.PLANNING})
        register_section(
            "reviews",
            "심사분석",
            25,
            [
                NavItem("회차", "reviews:rounds"),
                NavItem("심사분석 대상", "reviews:targets"),
                NavItem("체계(구분·기준)", "reviews:scheme", roles=office),
            ],
        )
        register_dashboard("심사분석", dashboard_cards, key="reviews", visible=dashboard_visible, order=25)
        register_demo("심사분석", demo.load, order=24)
        register_bench("심사분석", bench.generate, pages=bench.pages, order=40)
        register_periodic("reviews.reminders", review_reminder_sweep, every_seconds=900)
        calendar_changed.connect(services.rounds_recompute_due, dispatch_uid="reviews.recompute_due")
