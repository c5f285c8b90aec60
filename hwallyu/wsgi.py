import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hwallyu.settings")
application = get_wsgi_application()
# The URL configuration (with the API's schemas, about 70,000 objects) is otherwise loaded by the first request.
get_resolver().url_patterns  # noqa: B018 - loads it now
# What start-up loaded lives as long as the worker: keep it out of the collector's full passes, which
# otherwise stall a request now and then for 100 ms or more (measured by bench/pages.py).
gc.freeze()
