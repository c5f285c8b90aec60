"""Mounts every app's router on one NinjaAPI instance."""

from hwallyu.api.base import build_api
from hwallyu.api.core import router as core_router

api = build_api()
api.add_router("/", core_router)
