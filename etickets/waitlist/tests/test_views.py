from html import unescape

import pytest
from django.test import Client

from etickets.catalog.models import Event, OfferKind
from etickets.inventory import services as pool
from etickets.waitlist import services
from etickets.waitlist.models import EntryState, WaitingEntry


@pytest.fixture
def duo(make_event, make_offer):
    event = make_event(capacity=4)
    offer = make_offer(event=event, kind=OfferKind.DUO, max_per_order=3)
    Event.objects.filter(pk=event.pk).update(sold=4)
    return offer


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def html_of(response):
    return unescape(response.content.decode())


def test_a_sold_out_offer_page_offers_its_waiting_list(duo, make_user):
    assert "Connectez-vous pour vous inscrire" in html_of(Client().get(duo.get_absolute_url()))
    html = html_of(client_of(make_user()).get(duo.get_absolute_url()))
    assert "Liste d'attente" in html and 'name="quantity"' in html
    assert f'action="/liste-attente/rejoindre/{duo.slug}/"' in html


def test_the_join_form_starts_at_one_ticket_and_says_how_long_seats_are_kept(
    duo, make_user, settings
):
    settings.WAITLIST_OFFER_MINUTES = 20
    html = html_of(client_of(make_user()).get(duo.get_absolute_url()))
    assert 'id="waitlist-quantity" name="quantity" value="1"' in html
    assert "gardées 20 minutes dans votre panier" in html


def test_an_offer_on_sale_has_no_waiting_list(make_offer, make_user):
    offer = make_offer()
    assert "Liste d'attente" not in html_of(client_of(make_user()).get(offer.get_absolute_url()))


def test_joining_then_seeing_ones_place_without_javascript(duo, make_user):
    services.join_waiting_list(user=make_user(), offer=duo, quantity=1)
    user = make_user()
    client = client_of(user)
    response = client.post(f"/liste-attente/rejoindre/{duo.slug}/", {"quantity": "2"})
    entry = WaitingEntry.objects.get(user=user)
    assert response.status_code == 302
    assert response["Location"] == f"/liste-attente/#entry-{entry.pk}"
    html = html_of(client.get("/liste-attente/"))
    assert "Vous êtes n° 2 dans la liste d'attente" in html
    assert "Inscription en liste d'attente enregistrée : 2 billets" in html
    assert "Vous êtes n° 2 dans la liste d'attente" in html_of(client.get(duo.get_absolute_url()))


@pytest.mark.parametrize(
    ("quantity", "error"),
    [
        ("", "Indiquez un nombre de billets."),
        ("abc", "Le nombre de billets doit être un nombre entier."),
        ("0", "Choisissez au moins 1 billet."),
        ("4", "Vous ne pouvez pas prendre plus de 3 billets de cette offre par commande."),
        ("99999999999999999999", "Ce nombre de billets est trop grand."),
    ],
)
def test_a_refused_entry_says_why_next_to_the_field(duo, make_user, quantity, error):
    response = client_of(make_user()).post(
        f"/liste-attente/rejoindre/{duo.slug}/", {"quantity": quantity}
    )
    html = html_of(response)
    assert response.status_code == 400
    assert f'<p class="field-error" id="waitlist-error">{error}</p>' in html
    assert 'aria-describedby="waitlist-help waitlist-error"' in html
    assert not WaitingEntry.objects.exists()


def test_joining_twice_or_an_offer_on_sale_is_refused(duo, make_user, make_offer):
    user = make_user()
    client = client_of(user)
    client.post(f"/liste-attente/rejoindre/{duo.slug}/", {"quantity": "1"})
    html = html_of(client.post(f"/liste-attente/rejoindre/{duo.slug}/", {"quantity": "1"}))
    assert "Vous êtes déjà dans la liste d'attente de cette offre." in html
    on_sale = make_offer()
    html = html_of(client.post(f"/liste-attente/rejoindre/{on_sale.slug}/", {"quantity": "1"}))
    assert "Cette offre n'est pas complète" in html


def test_joining_needs_login(duo):
    response = Client().post(f"/liste-attente/rejoindre/{duo.slug}/", {"quantity": "1"})
    assert response.status_code == 302 and "/connexion/" in response["Location"]
    assert not WaitingEntry.objects.exists()


def test_leaving_asks_first(duo, make_user):
    user = make_user()
    entry = services.join_waiting_list(user=user, offer=duo, quantity=1)
    client = client_of(user)
    url = f"/liste-attente/{entry.pk}/quitter/"
    html = html_of(client.get(url))
    assert "Quitter la liste d'attente ?" in html
    client.post(url)  # not the question's button
    assert WaitingEntry.objects.get(pk=entry.pk).state == EntryState.WAITING
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert WaitingEntry.objects.get(pk=entry.pk).state == EntryState.LEFT
    assert "Vous avez quitté la liste d'attente" in html_of(client.get("/liste-attente/"))


def test_someone_elses_entry_is_not_found(duo, make_user):
    entry = services.join_waiting_list(user=make_user(), offer=duo, quantity=1)
    client = client_of(make_user())
    assert client.get(f"/liste-attente/{entry.pk}/quitter/").status_code == 404
    assert client.post(f"/liste-attente/{entry.pk}/quitter/", {"confirm": "1"}).status_code == 404
    assert client.get("/liste-attente/999999/quitter/").status_code == 404
    assert WaitingEntry.objects.get(pk=entry.pk).state == EntryState.WAITING


def test_the_cart_shows_until_when_offered_seats_are_kept(duo, make_user):
    user = make_user()
    entry = services.join_waiting_list(user=user, offer=duo, quantity=1)
    pool.release_sold_seats({duo.event_id: 2})
    services.offer_returned_seats(event_id=duo.event_id)
    entry.refresh_from_db()
    html = html_of(client_of(user).get("/panier/"))
    assert f"Réservé pour vous jusqu'à {entry.offered_until.astimezone():%H:%M}" in html
    html = html_of(client_of(user).get("/liste-attente/"))
    assert "Places réservées pour vous dans votre panier" in html
