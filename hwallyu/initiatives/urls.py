from django.urls import path

from hwallyu.initiatives.views import pages, parts

app_name = "initiatives"


def _part_urls(segment: str, part: str, noun: str) -> list:
    return [
        path(f"<int:pk>/{segment}/new/", parts.part_create, {"part": part}, name=f"{noun}_create"),
        path(f"<int:pk>/{segment}/<int:item_id>/edit/", parts.part_edit, {"part": part}, name=f"{noun}_edit"),
        path(f"<int:pk>/{segment}/<int:item_id>/delete/", parts.part_delete, {"part": part}, name=f"{noun}_delete"),
    ]


def _child_urls(parent: str, segment: str, child: str, noun: str) -> list:
    return [
        path(
            f"<int:pk>/{parent}/<int:parent_id>/{segment}/new/",
            parts.child_create,
            {"child": child},
            name=f"{noun}_create",
        ),
        path(f"<int:pk>/{segment}/<int:item_id>/edit/", parts.child_edit, {"child": child}, name=f"{noun}_edit"),
        path(f"<int:pk>/{segment}/<int:item_id>/delete/", parts.child_delete, {"child": child}, name=f"{noun}_delete"),
    ]


urlpatterns = [
    path("", pages.portfolio, name="portfolio"),
    path("new/", pages.initiative_create, name="create"),
    path("trends/", pages.trend_log, name="trends"),
    path("trends/new/", parts.trend_create, name="trend_create"),
    path("trends/<int:item_id>/edit/", parts.trend_edit, name="trend_edit"),
    path("trends/<int:item_id>/delete/", parts.trend_delete, name="trend_delete"),
    path("<int:pk>/", pages.detail, name="detail"),
    path("<int:pk>/edit/", pages.initiative_edit, name="edit"),
    path("<int:pk>/report/<str:fmt>/", pages.report, name="report"),
    # tabs
    path("<int:pk>/milestones/", pages.milestones, name="milestones"),
    path("<int:pk>/readiness/", pages.readiness, name="readiness"),
    path("<int:pk>/partners/", pages.partners, name="partners"),
    path("<int:pk>/partners/<int:item_id>/", pages.partner, name="partner"),
    path("<int:pk>/targets/", pages.targets, name="targets"),
    path("<int:pk>/budget/", pages.budget, name="budget"),
    path("<int:pk>/events/", pages.events, name="events"),
    path("<int:pk>/events/calendar/", pages.event_calendar, name="event_calendar"),
    path("<int:pk>/institutions/", pages.institutions, name="institutions"),
    path("<int:pk>/institutions/<int:item_id>/", pages.institution, name="institution"),
    path("<int:pk>/trends/", pages.initiative_trends, name="initiative_trends"),
    path("<int:pk>/documents/", pages.documents, name="documents"),
    path("<int:pk>/documents/new/", parts.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:item_id>/", pages.document_download, name="document_download"),
    path("<int:pk>/documents/<int:item_id>/delete/", parts.document_delete, name="document_delete"),
    # actions with evidence
    path("<int:pk>/milestones/<int:item_id>/complete/", parts.milestone_complete, name="milestone_complete"),
    path("<int:pk>/partners/<int:item_id>/state/", parts.partner_state, name="partner_state"),
    # parts
    *_part_urls("milestones", "milestones", "milestone"),
    *_part_urls("readiness", "criteria", "criterion"),
    *_part_urls("partners", "partners", "partner"),
    *_part_urls("targets", "targets", "target"),
    *_part_urls("budget", "budget", "budget"),
    *_part_urls("events", "events", "event"),
    *_part_urls("institutions", "institutions", "institution"),
    *_child_urls("partners", "contacts", "contacts", "contact"),
    *_child_urls("partners", "meetings", "meetings", "meeting"),
    *_child_urls("institutions", "institution-contacts", "institution_contacts", "institution_contact"),
]
