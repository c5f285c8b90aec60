from django.urls import path

from hwallyu.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/block/<slug:key>", views.dashboard_block_view, name="dashboard_block"),
    path("healthz", views.healthz, name="healthz"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/deadline", views.calendar_deadline, name="calendar_deadline"),
    path("calendar/closures/add", views.closure_add, name="closure_add"),
    path("calendar/closures/<int:closure_id>/delete", views.closure_remove, name="closure_remove"),
    path("calendar/hours", views.working_hours, name="working_hours"),
    path("audit/", views.audit_list, name="audit"),
    path("audit/export.xlsx", views.audit_export, name="audit_export"),
]
