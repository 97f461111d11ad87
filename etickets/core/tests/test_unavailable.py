"""A database or Redis that cannot be reached is a 503 « réessayez » with Retry-After."""

import pytest
import redis
from django.db import OperationalError
from django.test import override_settings
from django.urls import include, path


def _database_down(*args, **kwargs):
    """A view, or any call on the way to the database, when it cannot be reached."""
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def _redis_down(request):
    raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379")


urlpatterns = [
    path("bd/", _database_down),
    path("redis/", _redis_down),
    path("", include("config.urls")),
]
handler500 = "etickets.core.views.server_error"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="etickets.core.tests.test_unavailable")
@pytest.mark.parametrize("url", ["/bd/", "/redis/"])
def test_a_page_whose_dependency_is_down_says_retry(client, url):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    html = response.content.decode()
    assert "Service momentanément indisponible, réessayez dans quelques secondes." in html
    assert "Connection refused" not in html and "6379" not in html


@pytest.mark.django_db
def test_a_page_needing_the_database_when_it_is_down(client, make_user, monkeypatch):
    """The session of a signed-in buyer is read from the database before any view runs."""
    client.force_login(make_user())
    client.raise_request_exception = False
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", _database_down)
    response = client.get("/panier/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


@pytest.mark.django_db
def test_the_api_answers_unavailable_in_json(client, monkeypatch):
    monkeypatch.setattr("etickets.catalog.selectors.upcoming_offers", _database_down)
    response = client.get("/api/v1/offers")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "code": "unavailable",
        "message": "Service momentanément indisponible, réessayez dans quelques secondes.",
    }


@pytest.mark.django_db
def test_healthz_takes_the_node_out_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", _database_down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"
