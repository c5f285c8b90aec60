"""The platform's pages and this app only: the performance tests do not depend on apps still being built.

``tests/test_permissions.py`` walks the real URL configuration."""

from django.urls import include, path

from hwallyu.api.base import build_api
from hwallyu.api.core import router as core_router

api = build_api()
api.add_router("/", core_router)
api.add_router("/performance", "hwallyu.performance.api.router")

urlpatterns = [
    path("", include("hwallyu.core.urls")),
    path("accounts/", include("hwallyu.accounts.urls")),
    path("org/", include("hwallyu.org.urls")),
    path("notifications/", include("hwallyu.notifications.urls")),
    path("performance/", include("hwallyu.performance.urls")),
    path("api/v1/", api.urls),
]
