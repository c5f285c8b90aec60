from django.urls import include, path

from hwallyu.api.urls import api
from hwallyu.core import views as core_views

urlpatterns = [
    path("", include("hwallyu.core.urls")),
    path("accounts/", include("hwallyu.accounts.urls")),
    path("org/", include("hwallyu.org.urls")),
    path("notifications/", include("hwallyu.notifications.urls")),
    path("directives/", include("hwallyu.directives.urls")),
    path("workplan/", include("hwallyu.workplan.urls")),
    path("pledges/", include("hwallyu.pledges.urls")),
    path("reviews/", include("hwallyu.reviews.urls")),
    path("integrity/", include("hwallyu.integrity.urls")),
    path("surveys/", include("hwallyu.surveys.urls")),
    path("s/", include("hwallyu.surveys.public_urls")),
    path("performance/", include("hwallyu.performance.urls")),
    path("province/", include("hwallyu.province.urls")),
    path("initiatives/", include("hwallyu.initiatives.urls")),
    path("api/v1/", api.urls),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
