import gc
import os
from importlib import import_module

from django.conf import settings

from etickets.core.handlers import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# Import every view when a worker starts rather than on the first requests it serves: the first
# buyers of a rush do not pay for it. (Not gunicorn's --preload: measured, the workers' copies
# of the shared memory cost more CPU per request than the imports they save.)
import_module(settings.ROOT_URLCONF)
# What is loaded now lives as long as the worker: the cyclic garbage collector need not walk it
# again (freeze). A request makes thousands of short-lived objects, nearly all freed by their
# reference counts: collecting every 20,000 allocations rather than every 700 took 6-7 % of the
# CPU of a purchase off (docs/PERFORMANCE.md).
gc.freeze()
gc.set_threshold(20_000, 20, 100)
