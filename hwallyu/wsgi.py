import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hwallyu.settings")
application = get_wsgi_application()
# What start-up loaded lives as long as the worker: keep it out of the collector's full passes, which
# otherwise stall a request now and then for 100 ms or more (measured by bench/pages.py).
gc.freeze()
