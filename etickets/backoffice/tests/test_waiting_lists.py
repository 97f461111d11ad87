"""« Listes d'attente » of an event in the back office."""

from html import unescape

import pytest
from django.test import Client

from etickets.catalog.models import Event, OfferKind
from etickets.inventory import services as pool
from etickets.waitlist import services

from .conftest import verified_client, with_2fa


@pytest.mark.django_db
def test_each_offers_list_in_order_with_the_seats_kept(make_event, make_offer, make_user, desk):
    event = make_event(capacity=4)
    solo = make_offer(event=event)
    duo = make_offer(event=event, kind=OfferKind.DUO)
    Event.objects.filter(pk=event.pk).update(sold=4)
    first = make_user(email="premier@example.fr")
    services.join_waiting_list(user=first, offer=solo, quantity=1)
    services.join_waiting_list(user=make_user(email="second@example.fr"), offer=solo, quantity=2)
    services.join_waiting_list(user=make_user(email="duo@example.fr"), offer=duo, quantity=1)
    pool.release_sold_seats({event.pk: 1})
    services.offer_returned_seats(event_id=event.pk)

    url = f"/backoffice/epreuves/{event.pk}/listes-attente/"
    assert f'href="{url}"' in desk.get(f"/backoffice/epreuves/{event.pk}/").content.decode()
    html = unescape(desk.get(url).content.decode())
    assert "4 places réservées aux inscrits qui attendent" in html
    assert html.index("premier@example.fr") < html.index("second@example.fr")
    assert "Places proposées — jusqu'à" in html
    assert html.count("En attente") == 2
    assert "duo@example.fr" in html


@pytest.mark.django_db
def test_only_administrators_see_the_lists(make_event, make_user):
    event = make_event()
    url = f"/backoffice/epreuves/{event.pk}/listes-attente/"
    assert Client().get(url).url.startswith("/connexion/?next=")
    staff_only = with_2fa(make_user(is_staff=True))
    assert verified_client(staff_only).get(url).status_code == 404
