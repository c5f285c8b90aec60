from django.urls import path

from hwallyu.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<int:template_id>/", views.template_questions, name="template_questions"),
    path("optouts/", views.optouts, name="optouts"),
    path("<int:survey_id>/", views.survey_detail, name="detail"),
    path("<int:survey_id>/settings/", views.survey_settings, name="settings"),
    path("<int:survey_id>/questions/", views.survey_questions, name="questions"),
    path("<int:survey_id>/open/", views.survey_open, name="open"),
    path("<int:survey_id>/close/", views.survey_close, name="close"),
    path("<int:survey_id>/imports/", views.survey_imports, name="imports"),
    path("<int:survey_id>/imports/<int:import_id>/", views.import_detail, name="import_detail"),
    path("<int:survey_id>/invitations/send/", views.invitations_send, name="invitations_send"),
    path("<int:survey_id>/results/", views.survey_results, name="results"),
    path("<int:survey_id>/results/report.<str:fmt>", views.survey_report, name="report"),
    path("<int:survey_id>/incentives/", views.survey_incentives, name="incentives"),
]
