"""Helpers for the tests."""

from typing import Any

from django.test import Client
from django.test.client import ClientHandler

from .handlers import ApiMiddleware, is_bearer_api_call, is_queue_poll


class _BearerApiClientHandler(ApiMiddleware, ClientHandler):
    pass


class ApplicationClient(Client):
    """Django's test client, sending each request through the middlewares the WSGI
    application would (``etickets.core.handlers``): the API's bearer-token calls through the
    shorter stack."""

    def __init__(self, enforce_csrf_checks: bool = False, **defaults: Any) -> None:
        super().__init__(enforce_csrf_checks, **defaults)
        self._site = self.handler
        self._bearer_api = _BearerApiClientHandler(enforce_csrf_checks)

    def request(self, **request):
        make_environ = self._base_environ  # type: ignore[attr-defined]  # private to Django
        environ = make_environ(**request)
        short = is_bearer_api_call(environ) or is_queue_poll(environ)
        self.handler = self._bearer_api if short else self._site
        return super().request(**request)
