from django.urls import path

from hwallyu.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("read/", views.notification_read, name="read_all"),
    path("<int:notification_id>/read/", views.notification_read, name="read"),
]
