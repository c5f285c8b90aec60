from django.urls import path, re_path

from hwallyu.directives import views

app_name = "directives"

NUMBER = r"(?P<number>\d{4}-\d{4,6})"

urlpatterns = [
    path("", views.directive_list, name="list"),
    path("inbox/", views.inbox, name="inbox"),
    path("new/", views.create, name="create"),
    path("bulk/", views.bulk, name="bulk"),
    path("scheme/", views.scheme, name="scheme"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/<int:year>/<int:quarter>/", views.review_detail, name="review"),
    path("reviews/<int:year>/<int:quarter>/report.<str:fmt>", views.review_download, name="review_download"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    re_path(rf"^{NUMBER}/$", views.directive_detail, name="detail"),
    re_path(rf"^{NUMBER}/share/$", views.share, name="share"),
    re_path(rf"^{NUMBER}/acknowledge/$", views.acknowledge, name="acknowledge"),
    re_path(rf"^{NUMBER}/reports/$", views.report, name="report"),
    re_path(rf"^{NUMBER}/close-request/$", views.close_request, name="close_request"),
    re_path(rf"^{NUMBER}/close-approve/$", views.close_approve, name="close_approve"),
    re_path(rf"^{NUMBER}/close-return/$", views.close_return, name="close_return"),
    re_path(rf"^{NUMBER}/extensions/$", views.extension_request, name="extension_request"),
    re_path(
        rf"^{NUMBER}/extensions/(?P<extension_id>\d+)/approve/$", views.extension_approve, name="extension_approve"
    ),
    re_path(rf"^{NUMBER}/extensions/(?P<extension_id>\d+)/return/$", views.extension_return, name="extension_return"),
]
