"""The citizen's answer link ``/s/<token>`` (no login)."""

from django.urls import path

from hwallyu.surveys import public_views

app_name = "survey_public"

urlpatterns = [
    path("<str:token>", public_views.answer, name="answer"),
    path("<str:token>/done", public_views.done, name="done"),
    path("<str:token>/optout", public_views.optout, name="optout"),
]
