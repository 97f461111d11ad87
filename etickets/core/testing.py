"""Helpers for the tests."""

from django.test import Client
from django.test.client import ClientHandler

from .handlers import ApiMiddleware, is_bearer_api_call


class _BearerApiClientHandler(ApiMiddleware, ClientHandler):
    pass


class ApplicationClient(Client):
    """Django's test client, sending each request through the middlewares the WSGI
    application would (``etickets.core.handlers``): the API's bearer-token calls through the
    shorter stack."""

    def __init__(self, *args, enforce_csrf_checks=False, **defaults):
        super().__init__(*args, enforce_csrf_checks=enforce_csrf_checks, **defaults)
        self._site = self.handler
        self._bearer_api = _BearerApiClientHandler(enforce_csrf_checks)

    def request(self, **request):
        environ = self._base_environ(**request)
        self.handler = self._bearer_api if is_bearer_api_call(environ) else self._site
        return super().request(**request)
