from django.urls import path

from hwallyu.pledges import views

app_name = "pledges"

urlpatterns = [
    path("", views.pledge_list, name="list"),
    path("new/", views.pledge_create, name="create"),
    path("stats/", views.pledge_stats, name="stats"),
    path("categories/", views.categories, name="categories"),
    path("scheme/", views.scheme, name="scheme"),
    path("scheme/<int:year>/", views.scheme, name="scheme_year"),
    path("states/<int:state_id>/edit/", views.state_edit, name="state_edit"),
    path("states/<int:state_id>/delete/", views.state_delete, name="state_delete"),
    path("public-settings/", views.public_settings, name="public_settings"),
    path("public/", views.public, name="public"),
    path("<int:pledge_id>/", views.pledge_detail, name="detail"),
    path("<int:pledge_id>/edit/", views.pledge_edit, name="edit"),
    path("<int:pledge_id>/notes/new/", views.note_create, name="note_create"),
    path("<int:pledge_id>/target/", views.target_edit, name="target_edit"),
    path("notes/<int:note_id>/evidence/", views.note_evidence, name="note_evidence"),
]
