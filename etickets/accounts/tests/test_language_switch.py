"""The language switch: a visitor not signed in sends no CSRF token (their pages carry none,
core/pagecache.py); a signed-in user's choice, kept on the account, needs theirs."""

import pytest
from django.conf import settings
from django.test import Client

SWITCH = {"language": "en", "next": "/offres/"}


@pytest.mark.django_db
def test_a_visitor_not_signed_in_switches_without_a_token():
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/langue/", SWITCH)
    assert response.status_code == 302 and response["Location"] == "/offres/"
    assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in browser.get("/offres/").content.decode()


@pytest.mark.django_db
def test_a_signed_in_user_needs_their_token(make_user):
    user = make_user()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    refused = browser.post("/langue/", SWITCH)
    assert refused.status_code == 403
    user.refresh_from_db()
    assert user.language == "fr"
    browser.get("/offres/")  # a signed-in user's page gives them their token
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    response = browser.post("/langue/", {**SWITCH, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
