from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "hwallyu.notifications"
    label = "notifications"
    verbose_name = "알림"

    def ready(self) -> None:
        from hwallyu.core.navigation import NavItem, register_section
        from hwallyu.core.registry import register_bench, register_periodic
        from hwallyu.notifications import bench
        from hwallyu.notifications.tasks import deliver_outbox, release_stuck_messages

        register_bench("알림", bench.generate, pages=bench.pages, order=20)
        register_periodic("outbox.deliver", deliver_outbox, every_seconds=30)
        register_periodic("outbox.release_stuck", release_stuck_messages, every_seconds=5 * 60)
        from hwallyu.notifications.channels.tasks import deliver_citizen_messages, poll_delivery_results

        register_periodic("outbox.citizen.deliver", deliver_citizen_messages, every_seconds=60)
        register_periodic("outbox.citizen.results", poll_delivery_results, every_seconds=2 * 60)
        # Every signed-in user has a bell, so the list is in everyone's menu (last section).
        register_section("notifications", "알림", 900, [NavItem("받은 알림", "notifications:list")])
