"""The resale's pages: selling from the ticket page, buying from the offer page, without
JavaScript; nobody acts on another's ticket or listing."""

from html import unescape

import pytest
from django.test import Client

from etickets.cart.models import ResaleLine
from etickets.catalog.models import Event
from etickets.resale.models import Listing, ListingState
from etickets.tickets.models import TicketState


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def text_of(response):
    return unescape(response.content.decode())


def sell_out(event_id):
    Event.objects.filter(pk=event_id).update(sold=Event.objects.get(pk=event_id).capacity)


@pytest.mark.django_db
def test_a_holder_lists_a_ticket_after_being_told_what_happens(seller, sold_ticket):
    client = client_of(seller)
    page = text_of(client.get(sold_ticket.get_absolute_url()))
    assert "Revendre ce billet" in page
    url = f"/mes-billets/{sold_ticket.pk}/revendre/"
    question = text_of(client.get(url))
    assert "120,00\u00a0€" in question and "ni plus, ni moins" in question
    assert not Listing.objects.exists()
    response = client.post(url, {"confirm": "1"}, follow=True)
    assert "Votre billet est en revente" in text_of(response)
    assert "Retirer de la revente" in text_of(response)
    sold_ticket.refresh_from_db()
    assert sold_ticket.state == TicketState.LISTED


@pytest.mark.django_db
def test_nobody_sells_or_withdraws_anothers_ticket(sold_ticket, listing, make_user):
    intruder = client_of(make_user())
    assert (
        intruder.post(f"/mes-billets/{sold_ticket.pk}/revendre/", {"confirm": "1"}).status_code
        == 404
    )
    assert intruder.post(f"/revente/{listing.pk}/retirer/", {"confirm": "1"}).status_code == 404
    assert Listing.objects.get().state == ListingState.LISTED


@pytest.mark.django_db
def test_a_buyer_finds_it_on_the_sold_out_offer_and_buys_it(listing, offer, make_user):
    sell_out(offer.event_id)
    buyer = make_user()
    client = client_of(buyer)
    page = text_of(client.get(offer.get_absolute_url()))
    assert "Revente officielle" in page and "billet de revente à 120,00\u00a0€" in page
    listing_page = text_of(client.get("/offres/"))
    assert "Revente officielle : 1 billet" in listing_page
    response = client.post(f"/panier/revente/{listing.pk}/", follow=True)
    cart = text_of(response)
    assert "ajouté à votre panier" in cart and "Réservé pour vous jusqu'à" in cart
    assert "120,00\u00a0€" in cart
    checkout = text_of(client.get("/paiement/"))
    assert "Revente officielle" in checkout
    # Another buyer now finds it gone from the offer page, and is told why if they try.
    other = client_of(make_user())
    assert "billet de revente à" not in text_of(other.get(offer.get_absolute_url()))
    refused = text_of(other.post(f"/panier/revente/{listing.pk}/", follow=True))
    assert "dans le panier d'un autre acheteur" in refused
    # Removed from the cart, it is back on sale.
    client.post(f"/panier/revente/{listing.pk}/supprimer/")
    assert not ResaleLine.objects.exists()


@pytest.mark.django_db
def test_a_visitor_is_asked_to_log_in_first(listing, offer):
    sell_out(offer.event_id)
    response = Client().post(f"/panier/revente/{listing.pk}/")
    assert response.status_code == 302 and "/connexion/" in response["Location"]


@pytest.mark.django_db
def test_resale_is_not_shown_while_the_offer_has_seats(listing, offer, make_user):
    page = text_of(client_of(make_user()).get(offer.get_absolute_url()))
    assert "billet de revente à" not in page
