"""The WSGI application sends the API's bearer-token calls through a shorter middleware stack."""

from django.conf import settings

from config.wsgi import application
from etickets.core.handlers import is_bearer_api_call


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
    chain = application.bearer_api._middleware_chain
    assert settings.API_MIDDLEWARE == [
        "etickets.core.logging.RequestIdMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "etickets.core.middleware.ApiGuardMiddleware",
        "etickets.core.middleware.SiteLanguageMiddleware",
    ]
    assert chain is not application.site._middleware_chain
