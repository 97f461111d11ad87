"""The anonymous visitors' few-seconds copies of the home and offers pages (core/pagecache.py)."""

import re

import pytest
from django.conf import settings
from django.test import Client

from etickets.catalog import selectors
from etickets.catalog.forms import OfferFilterForm
from etickets.catalog.models import OfferKind

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "offer-catalogue"}


@pytest.fixture
def catalogue(make_event, make_offer):
    make_offer(event=make_event(title="Escrime — Sabre", title_en="Fencing — Sabre"))
    make_offer(event=make_event(title="Aviron — Deux de couple"), kind=OfferKind.DUO)


def rendered(response) -> bool:
    """Whether the view rendered the page (a copy renders no template)."""
    return bool(response.templates)


@pytest.mark.parametrize("path", ["/", "/offres/", "/offres/?type=solo", "/offres/?type="])
def test_a_second_anonymous_visit_is_served_the_copy(
    client, catalogue, path, django_assert_num_queries
):
    first = client.get(path)
    assert first.status_code == 200 and rendered(first)
    with django_assert_num_queries(0):
        second = client.get(path)
    assert second.status_code == 200 and not rendered(second)
    assert second.content == first.content
    head = client.head(path)
    assert head.status_code == 200 and not rendered(head)


@pytest.mark.parametrize("path", ["/", "/offres/"])
def test_the_pages_of_visitors_not_signed_in_carry_no_csrf_token(catalogue, path):
    """Nothing in them is a visitor's own, so one copy serves them all, and no cookie comes
    with it; their only form, the language switch, needs no token from them."""
    response = Client(enforce_csrf_checks=True).get(path)
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html and "X-CSRFToken" not in html
    assert not response.cookies


def test_a_signed_in_visitor_gets_their_own_page_with_a_token(client, catalogue, make_user):
    client.get("/offres/")
    client.force_login(make_user())
    response = client.get("/offres/")
    assert rendered(response)
    html = response.content.decode()
    assert "Mon compte" in html and "Se déconnecter" in html
    assert ">Connexion</a>" not in html
    assert "csrfmiddlewaretoken" in html and "X-CSRFToken" in html


@pytest.mark.parametrize("path", ["/", "/offres/"])
def test_each_language_has_its_own_copy(client, catalogue, path):
    """The event's texts too: an English visitor never gets the French copy, nor the reverse."""
    client.get(path)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(2):
        english = client.get(path)
        html = english.content.decode()
        assert '<html lang="en">' in html and english["Content-Language"] == "en"
        assert "Fencing — Sabre" in html and "Escrime — Sabre" not in html
    assert not rendered(english)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = client.get(path)
    html = french.content.decode()
    assert '<html lang="fr">' in html and not rendered(french)
    assert "Escrime — Sabre" in html and "Fencing — Sabre" not in html


def test_each_filter_has_its_own_copy(client, catalogue):
    for _ in range(2):
        everything = client.get("/offres/").content.decode()
        solo = client.get("/offres/?type=solo").content.decode()
        assert "Escrime — Sabre" in everything and "Aviron — Deux de couple" in everything
        assert "Escrime — Sabre" in solo and "Aviron — Deux de couple" not in solo


def test_htmx_requests_get_the_fragment(client, catalogue):
    client.get("/offres/?type=solo")
    response = client.get("/offres/?type=solo", **HTMX)
    assert rendered(response)
    assert "<html" not in response.content.decode()


def test_a_copy_carries_the_page_s_headers(client, catalogue):
    first = client.get("/offres/")
    copy = client.get("/offres/")
    assert not rendered(copy)
    assert copy["Content-Type"] == first["Content-Type"] == "text/html; charset=utf-8"
    assert {v.strip() for v in copy["Vary"].split(",")} >= {"Cookie", "HX-Request"}


@pytest.mark.parametrize("title", ["Judo — Finale", "Voile — Finale"])
def test_each_test_starts_without_copies(client, make_offer, make_event, title):
    """The suite's autouse fixture clears the copies: the second run sees its own catalogue."""
    make_offer(event=make_event(title=title))
    assert title in client.get("/offres/").content.decode()


def test_each_page_of_results_has_its_own_copy(client, make_event, make_offer):
    for n in range(13):
        make_offer(event=make_event(title=f"Match {n:02}"))
    for _ in range(2):
        assert "Match 00" in client.get("/offres/").content.decode()
        second = client.get("/offres/?page=2")
        assert "Match 12" in second.content.decode() and "Match 00" not in second.content.decode()
    assert not rendered(second)


@pytest.mark.parametrize("query", ["q=escrime", "sport=escrime&page=0", "type=solo&x=1"])
def test_searches_and_queries_out_of_the_rule_are_rendered_each_time(client, catalogue, query):
    """A search's words are as many as the visitors: their copies would push the others out.
    (A query spelled otherwise than the form sends it is rendered too.)"""
    client.get(f"/offres/?{query}")
    assert rendered(client.get(f"/offres/?{query}"))


@pytest.mark.parametrize("query", ["lieu=zzz", "sport=inconnu", "jour=2024-01-01"])
def test_a_refused_filter_is_rendered_each_time(client, catalogue, query):
    """Such values are as many as visitors care to type: no copy of them."""
    client.get(f"/offres/?{query}")
    response = client.get(f"/offres/?{query}")
    assert rendered(response) and "private" in response["Cache-Control"]


def test_the_page_number_is_at_most_the_rule_s():
    from etickets.catalog.forms import MAX_PAGE

    assert re.fullmatch(settings.ANONYMOUS_PAGE_CACHE["/offres/"]["query"]["page"], str(MAX_PAGE))
    assert (
        OfferFilterForm({"page": "10" * 20}, choices=selectors.filter_choices()).page_number()
        == MAX_PAGE
    )


def test_the_results_of_visitors_and_of_signed_in_buyers_are_kept_apart(
    client, catalogue, make_user
):
    """The results' own few-seconds copy (a template fragment) serves htmx requests and
    signed-in buyers too: a buyer's has the buttons that add to their cart."""
    assert '/#ajouter"' in client.get("/offres/?type=solo", **HTMX).content.decode()
    client.force_login(make_user())
    for headers in ({}, HTMX):
        html = client.get("/offres/?type=solo", **headers).content.decode()
        assert 'form="add-to-cart"' in html and '/#ajouter"' not in html
    assert "hx-swap-oob" not in client.get("/offres/?type=solo").content.decode()


def test_the_rule_allows_the_form_s_filters_and_pages_but_no_search():
    allowed = settings.ANONYMOUS_PAGE_CACHE["/offres/"]["query"]
    assert list(allowed) == [*OfferFilterForm.base_fields, "page"]
    for value, _label in OfferFilterForm.base_fields["type"].choices:
        assert re.fullmatch(allowed["type"], value)
    assert allowed["q"] == ""
    for name, value in [("type", "vip"), ("page", "0"), ("page", "abc"), ("jour", "demain")]:
        assert not re.fullmatch(allowed[name], value)
