from django.urls import path

from hwallyu.province import views

app_name = "province"

urlpatterns = [
    path("", views.home, name="home"),
    path("years/", views.year_list, name="years"),
    path("current/entry/", views.entry_current, name="entry_current"),
    path("current/lagging/", views.lagging_current, name="lagging_current"),
    path("current/review/", views.review_current, name="review_current"),
    path("current/pack/", views.pack_current, name="pack_current"),
    path("import-template.xlsx", views.import_template, name="import_template"),
    path("peers/", views.peers, name="peers"),
    path("peers/import/", views.peer_import, name="peer_import"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("<int:year>/", views.year_detail, name="year"),
    path("<int:year>/scheme/", views.scheme, name="scheme"),
    path("<int:year>/delete/", views.year_delete, name="year_delete"),
    path("<int:year>/import/", views.import_indicators, name="import"),
    path("<int:year>/indicators/", views.indicator_list, name="indicators"),
    path("<int:year>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("<int:year>/indicators/<str:code>/", views.indicator_detail, name="indicator"),
    path("<int:year>/indicators/<str:code>/edit/", views.indicator_edit, name="indicator_edit"),
    path("<int:year>/indicators/<str:code>/delete/", views.indicator_delete, name="indicator_delete"),
    path("<int:year>/indicators/<str:code>/actuals/", views.actual_enter, name="actual_enter"),
    path("<int:year>/indicators/<str:code>/writeups/", views.writeup_save, name="writeup_save"),
    path("<int:year>/indicators/<str:code>/consulting/", views.consulting_add, name="consulting_add"),
    path("<int:year>/indicators/<str:code>/checklist/", views.checklist_set, name="checklist_set"),
    path("<int:year>/indicators/<str:code>/submit/", views.qualitative_submit, name="qualitative_submit"),
    path("<int:year>/actuals/<int:pk>/accept/", views.actual_accept, name="actual_accept"),
    path("<int:year>/actuals/<int:pk>/return/", views.actual_return, name="actual_return"),
    path("<int:year>/actuals/<int:pk>/delete/", views.actual_delete, name="actual_delete"),
    path("<int:year>/entry/", views.entry, name="entry"),
    path("<int:year>/review/", views.review, name="review"),
    path("<int:year>/lagging/", views.lagging, name="lagging"),
    path("<int:year>/pack/", views.pack, name="pack"),
    path("<int:year>/pack/<int:month>.<str:fmt>", views.pack_download, name="pack_download"),
    path("<int:year>/what-if/", views.what_if, name="what_if"),
]
