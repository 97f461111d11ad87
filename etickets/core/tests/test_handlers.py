"""The WSGI application sends the API's bearer-token calls through a shorter middleware stack."""

import pytest
from django.conf import settings

from config.wsgi import application
from etickets.api.models import ApiToken
from etickets.core.handlers import is_bearer_api_call
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
    chain = application.bearer_api._middleware_chain
    assert settings.API_MIDDLEWARE == [
        "etickets.core.logging.RequestIdMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "etickets.core.middleware.ApiGuardMiddleware",
        "etickets.core.middleware.SiteLanguageMiddleware",
    ]
    assert chain is not application.site._middleware_chain


@pytest.mark.django_db
def test_a_bearer_call_keeps_its_id_security_headers_and_language(make_user):
    _record, token = ApiToken.issue(make_user(), "phone")
    client = ApplicationClient(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.get("/api/v1/cart/items", HTTP_X_REQUEST_ID="req-12345678")
    assert response.status_code == 200 and response.json()["items"] == []
    assert response["X-Request-ID"] == "req-12345678"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Language"] == "fr"
    assert "X-Frame-Options" not in response  # a page's header: the site's stack only
    refused = ApplicationClient(HTTP_AUTHORIZATION="Bearer jet_unknown")
    refused.cookies["django_language"] = "en"
    answer = refused.get("/api/v1/cart/items")
    assert answer.status_code == 401 and answer["Content-Language"] == "en"
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session"
    assert client.get("/api/v1/cart/items")["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
@pytest.mark.parametrize("session", [False, True], ids=["bearer-stack", "site-stack"])
def test_api_calls_check_the_host_and_are_never_stored(make_user, session):
    """Items 15 and 8: a bearer call with a forged Host header was served (the shorter stack
    had no host check), and the API's answers (tokens, tickets' codes) could be kept by a
    browser or a proxy."""
    _record, token = ApiToken.issue(make_user(), "phone")
    client = ApplicationClient(HTTP_AUTHORIZATION=f"Bearer {token}")
    if session:
        client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session"
    forged = client.get("/api/v1/cart/items", HTTP_HOST="evil.example")
    assert forged.status_code == 400
    for answer in (
        client.get("/api/v1/cart/items"),
        client.get("/api/v1/orders/999"),
        ApplicationClient().get("/api/v1/cart/items"),
    ):
        assert "no-store" in answer["Cache-Control"], answer.status_code
