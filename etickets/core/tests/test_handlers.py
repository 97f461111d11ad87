"""The WSGI application sends the API's bearer-token calls through a shorter middleware stack,
which Django builds from ``settings.MIDDLEWARE`` (``BaseHandler.load_middleware``, not public):
the tests on this module's own page fail when a Django upgrade changes that."""

import inspect

import pytest
from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.client import ClientHandler
from django.urls import path

from config.wsgi import application
from etickets.core.handlers import BearerApiHandler, is_bearer_api_call
from etickets.core.testing import ApplicationClient


def environ(path="/api/v1/cart/items", authorization="Bearer jet_x", cookie=""):
    return {"PATH_INFO": path, "HTTP_AUTHORIZATION": authorization, "HTTP_COOKIE": cookie}


def test_which_calls_take_the_shorter_stack():
    assert is_bearer_api_call(environ())
    assert is_bearer_api_call(environ(cookie="django_language=en"))
    assert not is_bearer_api_call(environ(cookie=f"{settings.SESSION_COOKIE_NAME}=abc"))
    assert not is_bearer_api_call(environ(cookie=f" {settings.SESSION_COOKIE_NAME} = abc"))
    assert not is_bearer_api_call(environ(authorization=""))
    assert not is_bearer_api_call(environ(authorization="Basic eDp5"))
    assert not is_bearer_api_call(environ(path="/offres/"))


def test_the_application_dispatches_each_call(monkeypatch):
    served = []
    monkeypatch.setattr(application, "site", lambda env, start: served.append("site"))
    monkeypatch.setattr(application, "bearer_api", lambda env, start: served.append("api"))
    application(environ(), None)
    application(environ(path="/panier/"), None)
    assert served == ["api", "site"]


def test_the_shorter_stack_is_the_apis():
    assert settings.API_MIDDLEWARE == [
        "etickets.core.logging.RequestIdMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "etickets.core.middleware.ApiGuardMiddleware",
        "etickets.core.middleware.SiteLanguageMiddleware",
    ]


def marked(get_response):
    """A middleware that says which stack served the call."""

    def middleware(request):
        response = get_response(request)
        response["X-Stack"] = "api"
        return response

    return middleware


def ping(request):
    return HttpResponse("pong")


urlpatterns = [path("api/v1/ping", ping)]


@pytest.fixture
def api_stack(settings):
    settings.ROOT_URLCONF = __name__
    settings.API_MIDDLEWARE = [f"{__name__}.marked"]


def test_django_builds_a_handler_s_chain_from_settings_middleware():
    assert str(inspect.signature(BaseHandler.load_middleware)) == "(self, is_async=False)"
    assert str(inspect.signature(ClientHandler)) == "(enforce_csrf_checks=True, *args, **kwargs)"
    assert str(inspect.signature(Client._base_environ)) == "(self, **request)"
    assert isinstance(Client().handler, ClientHandler)


@pytest.mark.usefixtures("api_stack")
def test_the_bearer_handler_runs_the_api_middlewares_only():
    site = settings.MIDDLEWARE
    handler = BearerApiHandler()
    assert settings.MIDDLEWARE is site
    response = handler.get_response(RequestFactory().get("/api/v1/ping"))
    assert response.content == b"pong" and response["X-Stack"] == "api"
    assert "X-Frame-Options" not in response


def test_settings_keep_the_site_s_middlewares_when_the_api_s_fail_to_load(settings):
    site = settings.MIDDLEWARE
    settings.API_MIDDLEWARE = ["etickets.core.no_such_module.Middleware"]
    with pytest.raises(ImportError):
        BearerApiHandler()
    assert settings.MIDDLEWARE is site


@pytest.mark.usefixtures("api_stack")
def test_the_test_client_takes_the_stack_the_application_would():
    bearer = ApplicationClient(HTTP_AUTHORIZATION="Bearer jet_x").get("/api/v1/ping")
    assert bearer["X-Stack"] == "api"
    site = ApplicationClient().get("/api/v1/ping")
    assert "X-Stack" not in site and site["X-Frame-Options"] == "DENY"
