from django.urls import path

from hwallyu.workplan import views

app_name = "workplan"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.plan_create, name="plan_create"),
    path("import/", views.plan_import, name="plan_import"),
    path("current/projects/", views.current, {"target": "projects"}, name="current_projects"),
    path("current/schedule/", views.current, {"target": "schedule"}, name="current_schedule"),
    path("current/budget/", views.current, {"target": "budget"}, name="current_budget"),
    path("current/report/", views.current, {"target": "report"}, name="current_report"),
    path("<int:year>/", views.plan_detail, name="plan"),
    path("<int:year>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:year>/lock/", views.plan_lock, name="plan_lock"),
    path("<int:year>/unlock/", views.plan_unlock, name="plan_unlock"),
    path("<int:year>/export/", views.plan_export, name="plan_export"),
    path("<int:year>/goals/new/", views.goal_create, name="goal_create"),
    path("goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path("<int:year>/tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:task_id>/", views.task_detail, name="task"),
    path("tasks/<int:task_id>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:task_id>/projects/new/", views.project_create, name="project_create"),
    path("<int:year>/projects/", views.project_list, name="projects"),
    path("projects/<int:project_id>/", views.project_detail, name="project"),
    path("projects/<int:project_id>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:project_id>/progress/", views.project_progress, name="project_progress"),
    path("projects/<int:project_id>/delete/", views.project_delete, name="project_delete"),
    path("<int:year>/schedule/", views.schedule_view, name="schedule"),
    path("<int:year>/budget/", views.budget_view, name="budget"),
    path("<int:year>/budget/import/", views.budget_import, name="budget_import"),
    path("<int:year>/budget/lines/new/", views.budget_line_create, name="budget_line_create"),
    path("<int:year>/budget/header/clear/", views.budget_header_clear, name="budget_header_clear"),
    path("budget-lines/<int:line_id>/edit/", views.budget_line_edit, name="budget_line_edit"),
    path("budget-lines/<int:line_id>/delete/", views.budget_line_delete, name="budget_line_delete"),
    path("budget-lines/<int:line_id>/execution/", views.budget_execution, name="budget_execution"),
    path("<int:year>/report/", views.progress_report, name="report"),
]
