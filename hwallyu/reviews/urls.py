from django.urls import path

from hwallyu.reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("rounds/<int:round_id>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:round_id>/open/", views.round_open, name="round_open"),
    path("rounds/<int:round_id>/close/", views.round_close, name="round_close"),
    path("rounds/<int:round_id>/report/", views.round_report, name="round_report"),
    path("targets/", views.target_list, name="targets"),
    path("targets/new/", views.target_create, name="target_create"),
    path("targets/<int:target_id>/", views.target_trend, name="target"),
    path("targets/<int:target_id>/edit/", views.target_edit, name="target_edit"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="submission"),
    path("submissions/<int:submission_id>/edit/", views.submission_edit, name="submission_edit"),
    path("submissions/<int:submission_id>/submit/", views.submission_submit, name="submission_submit"),
    path("submissions/<int:submission_id>/approve/", views.submission_approve, name="submission_approve"),
    path("submissions/<int:submission_id>/return/", views.submission_return, name="submission_return"),
    path("submissions/<int:submission_id>/assess/", views.submission_assess, name="submission_assess"),
    path("submissions/<int:submission_id>/alternatives/", views.alternative_add, name="alternative_add"),
    path("submissions/<int:submission_id>/attachment/", views.attachment, name="attachment"),
    path("alternatives/<int:alternative_id>/directive/", views.alternative_convert, name="alternative_convert"),
    path("scheme/", views.scheme, name="scheme"),
    path("scheme/<int:year>/", views.scheme, name="scheme_year"),
    path("states/<int:state_id>/edit/", views.state_edit, name="state_edit"),
    path("states/<int:state_id>/delete/", views.state_delete, name="state_delete"),
    path("delay-categories/<int:category_id>/delete/", views.category_delete, name="category_delete"),
]
