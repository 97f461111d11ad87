"""The API's bearer-token calls through the shorter middleware stack (etickets.core.handlers)
keep what an answer of the API needs."""

import pytest
from django.conf import settings

from etickets.api.models import ApiToken
from etickets.core.testing import ApplicationClient


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
