"""The calibration of `make bench`: a bare Django view (no middleware, no database, no
template) that the benchmark serves with the same gunicorn workers and loads with the same
client, so that its figures can be compared across machines (docs/PERFORMANCE.md)."""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    SECRET_KEY="calibration-only-" + "x" * 40,  # signs nothing: no session, no form
)


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", bare)]
application = get_wsgi_application()
