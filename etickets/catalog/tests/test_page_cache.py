"""The anonymous visitors' few-seconds copies of the home and offers pages (core/pagecache.py)."""

import re

import pytest
from django.conf import settings
from django.test import Client

from etickets.catalog.forms import OfferFilterForm
from etickets.catalog.models import OfferKind
from etickets.core import pagecache

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "offer-catalogue"}
TOKEN = re.compile(r'(?:name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]{64})"')


@pytest.fixture
def catalogue(make_event, make_offer):
    make_offer(event=make_event(title="Escrime — Sabre"), kind=OfferKind.SOLO)
    make_offer(event=make_event(title="Aviron — Deux de couple"), kind=OfferKind.DUO)


def rendered(response) -> bool:
    """Whether the view rendered the page (a copy renders no template)."""
    return bool(response.templates)


def tokens(response) -> set[str]:
    found = set(TOKEN.findall(response.content.decode()))
    assert found, "the page carries no CSRF token"
    return found


@pytest.mark.parametrize("path", ["/", "/offres/", "/offres/?type=solo", "/offres/?type="])
def test_a_second_anonymous_visit_is_served_the_copy(
    client, catalogue, path, django_assert_num_queries
):
    first = client.get(path)
    assert first.status_code == 200 and rendered(first)
    with django_assert_num_queries(0):
        second = client.get(path)
    assert second.status_code == 200 and not rendered(second)
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())
    head = client.head(path)
    assert head.status_code == 200 and not rendered(head)


def test_a_signed_in_visitor_gets_their_own_page(client, catalogue, make_user):
    client.get("/offres/")
    client.force_login(make_user())
    response = client.get("/offres/")
    assert rendered(response)
    html = response.content.decode()
    assert "Mon compte" in html and "Se déconnecter" in html
    assert ">Connexion</a>" not in html


@pytest.mark.parametrize("cookie", ["sessionid", "messages", "anything-else"])
def test_a_visitor_with_another_cookie_is_not_served_the_copy(client, catalogue, cookie):
    client.get("/offres/")
    client.cookies[cookie] = "x"
    assert rendered(client.get("/offres/"))
    assert rendered(client.get("/offres/"))


def test_each_language_has_its_own_copy(client, catalogue):
    client.get("/offres/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(2):
        english = client.get("/offres/")
        assert '<html lang="en">' in english.content.decode()
        assert english["Content-Language"] == "en"
    assert not rendered(english)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = client.get("/offres/")
    assert '<html lang="fr">' in french.content.decode() and not rendered(french)


def test_each_filter_has_its_own_copy(client, catalogue):
    for _ in range(2):
        everything = client.get("/offres/").content.decode()
        solo = client.get("/offres/?type=solo").content.decode()
        assert "Escrime — Sabre" in everything and "Aviron — Deux de couple" in everything
        assert "Escrime — Sabre" in solo and "Aviron — Deux de couple" not in solo


@pytest.mark.parametrize(
    "query",
    [
        "type=vip",
        "type=SOLO",  # the form accepts only its own spelling
        "type=%73olo",
        "type=solo&type=duo",
        "type=solo&page=2",
        "utm_source=newsletter",
        "type=solo&",
    ],
)
def test_other_queries_go_to_the_view(client, catalogue, query):
    for _ in range(2):
        assert rendered(client.get(f"/offres/?{query}"))
    assert len(pagecache.pages) == 0


def test_a_page_not_listed_is_not_copied(client, catalogue):
    client.get("/faq/")
    assert rendered(client.get("/faq/"))


def test_htmx_requests_get_the_fragment(client, catalogue):
    client.get("/offres/?type=solo")
    response = client.get("/offres/?type=solo", **HTMX)
    assert rendered(response)
    assert "<html" not in response.content.decode()


def test_post_goes_to_the_view(client, catalogue):
    client.get("/offres/")
    assert client.post("/offres/").status_code == 405


def test_a_copy_carries_the_security_headers(client, catalogue):
    first = client.get("/offres/")
    copy = client.get("/offres/")
    assert not rendered(copy)
    assert "default-src 'self'" in copy["Content-Security-Policy"]
    assert copy["X-Frame-Options"] == "DENY"
    assert copy["X-Content-Type-Options"] == "nosniff"
    assert "geolocation=()" in copy["Permissions-Policy"]
    assert copy["Content-Type"] == first["Content-Type"] == "text/html; charset=utf-8"
    assert copy["Content-Language"] == "fr"
    assert {v.strip() for v in copy["Vary"].split(",")} >= {"Cookie", "HX-Request"}
    assert copy["X-Request-ID"] != first["X-Request-ID"]
    assert int(copy["Content-Length"]) == len(copy.content)


def test_a_copy_refuses_a_host_not_allowed(client, catalogue):
    client.get("/offres/")
    assert client.get("/offres/", headers={"host": "evil.example.com"}).status_code == 400


def test_each_visitor_gets_their_own_csrf_token(catalogue):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get("/offres/")
    second_page = second.get("/offres/")
    assert rendered(first_page) and not rendered(second_page)
    first_cookie = first_page.cookies[settings.CSRF_COOKIE_NAME].value
    second_cookie = second_page.cookies[settings.CSRF_COOKIE_NAME].value
    assert first_cookie != second_cookie
    (second_token,) = tokens(second_page)
    assert second_token not in tokens(first_page)

    # A returning visitor keeps their cookie, and is given a fresh token for it.
    again = second.get("/offres/")
    assert not rendered(again)
    assert again.cookies[settings.CSRF_COOKIE_NAME].value == second_cookie
    (again_token,) = tokens(again)
    assert again_token != second_token

    # A token validates with its visitor's cookie only.
    for token in (second_token, again_token):
        switch = {"language": "en", "next": "/offres/", "csrfmiddlewaretoken": token}
        assert first.post("/langue/", switch).status_code == 403
        assert second.post("/langue/", switch).status_code == 302
    # The visitor whose page was copied kept a working token too.
    (first_token,) = tokens(first_page)
    switch = {"language": "en", "next": "/offres/", "csrfmiddlewaretoken": first_token}
    assert first.post("/langue/", switch).status_code == 302


def test_no_cookie_comes_from_the_copy(catalogue):
    first = Client().get("/offres/")
    copy = Client().get("/offres/")
    assert not rendered(copy)
    assert set(copy.cookies) == {settings.CSRF_COOKIE_NAME}
    name = settings.CSRF_COOKIE_NAME
    assert copy.cookies[name].value != first.cookies[name].value


def test_a_copy_expires(client, catalogue, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(pagecache, "monotonic", lambda: now[0])
    client.get("/offres/")
    now[0] += 4.9
    assert not rendered(client.get("/offres/"))
    now[0] += 0.1
    assert rendered(client.get("/offres/"))


def test_zero_seconds_means_no_copy(client, catalogue, settings):
    settings.ANONYMOUS_PAGE_CACHE = {"/offres/": {"seconds": 0}}
    client.get("/offres/")
    assert rendered(client.get("/offres/"))


@pytest.mark.parametrize("title", ["Judo — Finale", "Voile — Finale"])
def test_each_test_starts_without_copies(client, make_offer, make_event, title):
    """The suite's autouse fixture clears the copies: the second run sees its own catalogue."""
    make_offer(event=make_event(title=title))
    assert title in client.get("/offres/").content.decode()


def test_the_allowed_filters_are_the_form_s_choices():
    choices = [value for value, _label in OfferFilterForm.base_fields["type"].choices]
    assert settings.ANONYMOUS_PAGE_CACHE["/offres/"]["query"]["type"] == choices
