import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# Import every view now rather than on the first requests a worker serves (with gunicorn's
# --preload, once for all workers): the first buyers of a rush do not pay for it.
import_module(settings.ROOT_URLCONF)
