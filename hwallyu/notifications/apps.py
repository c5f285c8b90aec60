from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "hwallyu.notifications"
    label = "notifications"
    verbose_name = "알림"
