"""Mounts every app's router on one NinjaAPI instance."""

from hwallyu.api.base import build_api
from hwallyu.api.core import router as core_router

api = build_api()
api.add_router("/", core_router)
api.add_router("/", "hwallyu.api.org.router")
api.add_router("/directives", "hwallyu.directives.api.router")
api.add_router("/", "hwallyu.notifications.channels.api.router")
api.add_router("/workplan", "hwallyu.workplan.api.router")
api.add_router("/pledges", "hwallyu.pledges.api.router")
api.add_router("/reviews", "hwallyu.reviews.api.router")
api.add_router("/integrity", "hwallyu.integrity.api.router")
api.add_router("/surveys", "hwallyu.surveys.api.router")
api.add_router("/performance", "hwallyu.performance.api.router")
api.add_router("/province", "hwallyu.province.api.router")
api.add_router("/initiatives", "hwallyu.initiatives.api.router")
