"""The WSGI application: the site's full middleware stack, and a shorter one for the API's
calls that carry a bearer token and no session, and for the waiting room's polls."""

import re
from typing import TYPE_CHECKING

import django
from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIHandler
from django.http.cookie import parse_cookie

API_PREFIX = "/api/v1/"
# A waiting buyer's poll (etickets/waitingroom/urls.py routes it): the busiest request of an
# on-sale, which reads the queue's store and nothing of the session.
QUEUE_POLL_PATH = r"^file-attente/(?P<event_id>[0-9]{1,9})/etat/(?P<entry>[0-9a-f]{32})/$"
_QUEUE_POLL = re.compile(QUEUE_POLL_PATH.replace("^", "^/", 1))

# A mixin of handlers: the type checker is told what it extends.
if TYPE_CHECKING:
    _Handler = BaseHandler
else:
    _Handler = object


class ApiMiddleware(_Handler):
    """A handler through ``settings.API_MIDDLEWARE``. A bearer token is all a call's
    authentication: it skips the middlewares of browsing (static files, the anonymous page
    cache, sessions, CSRF, messages, the session's second factor, htmx, the login lockout),
    ~4 % of a purchase's CPU and ~10 % of a scan's. It keeps the request id, the security
    headers and the language."""

    def load_middleware(self, is_async=False):
        # Django builds the chain from settings.MIDDLEWARE; this runs once, as a worker starts.
        site = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.API_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = site


class BearerApiHandler(ApiMiddleware, WSGIHandler):
    pass


def is_bearer_api_call(environ) -> bool:
    """An API call with a bearer token and without a session cookie (the API also accepts a
    browser's verified session, which needs the whole stack)."""
    return (
        environ.get("PATH_INFO", "").startswith(API_PREFIX)
        and environ.get("HTTP_AUTHORIZATION", "").startswith("Bearer ")
        and settings.SESSION_COOKIE_NAME not in parse_cookie(environ.get("HTTP_COOKIE", ""))
    )


def is_queue_poll(environ) -> bool:
    return environ.get("REQUEST_METHOD") in ("GET", "HEAD") and bool(
        _QUEUE_POLL.match(environ.get("PATH_INFO", ""))
    )


class Application:
    def __init__(self):
        self.site = WSGIHandler()
        self.bearer_api = BearerApiHandler()

    def __call__(self, environ, start_response):
        short = is_bearer_api_call(environ) or is_queue_poll(environ)
        handler = self.bearer_api if short else self.site
        return handler(environ, start_response)


def get_wsgi_application() -> Application:
    """As Django's own: Django set up, then the application."""
    django.setup(set_prefix=False)
    return Application()
