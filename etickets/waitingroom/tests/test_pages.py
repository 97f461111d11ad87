"""The queue as buyers meet it: its pages and polls, and the pass that adding to the cart and
paying ask for, on the site and in the API."""

import datetime
import json
import re
import uuid

import pytest
from django.test import override_settings
from django.utils import timezone

from conftest import TEST_CARD
from etickets.cart.models import CartLine
from etickets.core.testing import ApplicationClient
from etickets.orders.models import Order
from etickets.waitingroom import services, store
from etickets.waitingroom.fairness import fair_order

MINUTE = datetime.timedelta(minutes=1)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _admissions_by_the_tests(settings):
    """The tests admit when they say (not the pages, as they do without Celery beat)."""
    settings.QUEUE_ADMIT_ON_POLL = False


@pytest.fixture
def sale(make_offer, queue):
    """An offer whose event's sale opened a second ago behind a queue of 60 a minute."""
    offer = make_offer()
    services.configure_queue(
        event=offer.event,
        opens_at=timezone.now() - datetime.timedelta(seconds=1),
        admission_rate=60,
        enabled=True,
    )
    return offer


@pytest.fixture
def buyer(make_user):
    return make_user(email_verified_at=timezone.now())


def signed_in(user):
    client = ApplicationClient()
    client.force_login(user)
    return client


def admitted(client, offer):
    """Join, be let in, take the pass."""
    assert client.post(f"/file-attente/{offer.event.slug}/").status_code == 302
    services.admit_due(event=offer.event, now=timezone.now() + MINUTE)
    return client.get(f"/file-attente/{offer.event.pk}/entrer/")


def pay(client):
    card = {"number": TEST_CARD, "expiry": "12/30", "cvv": "123"}
    return client.post("/paiement/", {"idempotency_key": str(uuid.uuid4()), **card})


def in_cart(user):
    return {line.offer_id: line.quantity for line in CartLine.objects.filter(cart__user=user)}


def test_offers_send_to_the_queue_from_half_an_hour_before_the_opening(make_offer, client):
    offer = make_offer()
    opens_at = timezone.now() + 40 * MINUTE
    services.configure_queue(event=offer.event, opens_at=opens_at, admission_rate=60, enabled=True)
    assert client.get(offer.get_absolute_url()).status_code == 200  # browsing stays open
    services.configure_queue(
        event=offer.event, opens_at=opens_at - 15 * MINUTE, admission_rate=60, enabled=True
    )
    response = client.get(offer.get_absolute_url())
    assert response["Location"] == f"/file-attente/{offer.event.slug}/"
    assert client.get(response["Location"])["Location"].startswith("/connexion/")


def test_joining_asks_for_a_verified_address_then_gives_a_place_that_updates(
    sale, make_user, buyer, queue, django_assert_num_queries
):
    unverified = signed_in(make_user())
    page = unverified.post(f"/file-attente/{sale.event.slug}/")
    assert "Confirmer mon adresse depuis « Mon compte »" in page.content.decode()
    assert queue.length(sale.event.pk) == 0

    for account in range(3):  # three arrived first (after the opening: in order)
        queue.join(sale.event.pk, f"other{account}", timezone.now())
    client = signed_in(buyer)
    assert client.post(f"/file-attente/{sale.event.slug}/").status_code == 302
    client.post(f"/file-attente/{sale.event.slug}/")  # a second tab: the same place
    assert queue.length(sale.event.pk) == 4
    services.admit_due(event=sale.event, now=timezone.now())  # the draw; the first let in
    page = client.get(f"/file-attente/{sale.event.slug}/").content.decode()
    assert 'aria-live="polite"' in page
    assert "2 personnes devant vous." in page
    poll_url = re.search(r'hx-get="(/file-attente/\d+/etat/[0-9a-f]{32}/)"', page)[1]
    poll = ApplicationClient()  # no session, no query: the store alone
    with django_assert_num_queries(0):
        answer = poll.get(poll_url)
        # Nor for a made-up entry, even where the polls admit (no Celery beat).
        with override_settings(QUEUE_ADMIT_ON_POLL=True):
            assert poll.get(f"/file-attente/{sale.event.pk}/etat/{'0' * 32}/").status_code == 200
    assert "2 personnes devant vous." in answer.content.decode()
    assert "HX-Redirect" not in answer
    services.admit_due(event=sale.event, now=timezone.now() + 3 * MINUTE)
    answer = poll.get(poll_url)
    assert answer["HX-Redirect"] == f"/file-attente/{sale.event.pk}/entrer/"
    assert "Accéder à la vente" in answer.content.decode()


def test_no_purchase_without_ones_pass_and_the_cart_is_kept(sale, buyer, make_user, queue):
    client = signed_in(buyer)
    response = client.post(f"/panier/ajouter/{sale.slug}/", {"quantity": "2"})
    assert response["Location"] == f"/file-attente/{sale.event.slug}/"
    assert in_cart(buyer) == {}
    assert admitted(client, sale)["Location"] == sale.get_absolute_url()
    assert client.get(sale.get_absolute_url()).status_code == 200
    client.post(f"/panier/ajouter/{sale.slug}/", {"quantity": "2"})
    assert in_cart(buyer) == {sale.pk: 2}

    # Someone else's pass (copied from their session) is refused.
    thief = make_user(email_verified_at=timezone.now())
    stolen = signed_in(thief)
    session = stolen.session
    session["queue_passes"] = client.session["queue_passes"]
    session.save()
    assert stolen.post(f"/panier/ajouter/{sale.slug}/", {"quantity": "1"}).status_code == 302
    assert in_cart(thief) == {}

    # The pass expired: paying sends back to the queue, the cart stays.
    entry = queue.current_entry(sale.event.pk, str(buyer.pk))
    queue.extend_pass(sale.event.pk, entry, timezone.now() - MINUTE)
    session = client.session
    session["queue_passes"] = [
        services._sign_pass(user_id=buyer.pk, event_id=sale.event.pk, until=timezone.now() - MINUTE)
    ]
    session.save()
    response = pay(client)
    assert response["Location"] == f"/file-attente/{sale.event.slug}/"
    assert in_cart(buyer) == {sale.pk: 2}
    assert not Order.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "votre panier est conservé" in page
    client.post(f"/file-attente/{sale.event.slug}/")  # back in line, at its end
    assert queue.poll(sale.event.pk, queue.current_entry(sale.event.pk, str(buyer.pk))).joined


def test_a_buyer_admitted_elsewhere_takes_the_pass_from_the_queue_page(sale, buyer):
    """Admitted while the page was closed (or without JavaScript): its link goes in through the
    way that gives this browser the pass, not straight to the offers."""
    client = signed_in(buyer)
    client.post(f"/file-attente/{sale.event.slug}/")
    services.admit_due(event=sale.event, now=timezone.now() + MINUTE)
    other_browser = signed_in(buyer)
    page = other_browser.get(f"/file-attente/{sale.event.slug}/").content.decode()
    assert f'href="/file-attente/{sale.event.pk}/entrer/">Choisir mes billets' in page
    other_browser.get(f"/file-attente/{sale.event.pk}/entrer/")
    other_browser.post(f"/panier/ajouter/{sale.slug}/", {"quantity": "1"})
    assert in_cart(buyer) == {sale.pk: 1}


def test_checkout_extends_the_pass_which_buys_until_the_store_ends_it(sale, buyer, queue):
    client = signed_in(buyer)
    admitted(client, sale)
    client.post(f"/panier/ajouter/{sale.slug}/", {"quantity": "1"})
    entry = queue.current_entry(sale.event.pk, str(buyer.pk))
    queue.extend_pass(sale.event.pk, entry, timezone.now() + MINUTE)  # about to expire
    assert client.get("/paiement/").status_code == 200
    assert queue.pass_expiry(sale.event.pk, entry) > timezone.now() + 14 * MINUTE
    assert queue.passes_out(sale.event.pk, timezone.now()) == 1
    assert pay(client)["Location"].startswith("/commandes/")
    client.post(f"/panier/ajouter/{sale.slug}/", {"quantity": "1"})  # one more, in time
    assert in_cart(buyer) == {sale.pk: 1}

    # The store ended the admission: the token, still signed and unexpired, neither buys nor
    # is extended (the store, not the token, says whose turn it is).
    token = client.session["queue_passes"][0]
    queue.extend_pass(sale.event.pk, entry, timezone.now() - SECOND)
    refused = client.post(f"/panier/ajouter/{sale.slug}/", {"quantity": "1"})
    assert refused["Location"] == f"/file-attente/{sale.event.slug}/"
    assert pay(client)["Location"] == f"/file-attente/{sale.event.slug}/"
    assert in_cart(buyer) == {sale.pk: 1}  # kept
    with pytest.raises(services.NotAdmitted):
        services.extend_pass(token=token, user=buyer, event=sale.event, now=timezone.now())
    # Its queue page offers a new place (at the back), not a way in that leads back here.
    page = client.get(refused["Location"]).content.decode()
    assert "Prendre ma place dans la file" in page and "/entrer/" not in page
    client.post(f"/file-attente/{sale.event.slug}/")
    assert queue.poll(sale.event.pk, queue.current_entry(sale.event.pk, str(buyer.pk))).joined


def test_the_api_asks_for_the_pass_and_gives_it(sale, buyer, make_event, queue):
    from etickets.api.tests.test_shop_api import Api, checkout, token_for

    api = Api(token_for(buyer))
    refused = api.call("post", "/cart/items", {"offer_id": sale.pk, "quantity": 1})
    assert refused.status_code == 403
    assert refused.json()["code"] == "queue_required"
    assert refused.json()["queue_url"] == f"/file-attente/{sale.event.slug}/"
    joined = api.call("post", f"/events/{sale.event.pk}/queue")
    assert joined.status_code == 200 and joined.json()["joined"]
    services.admit_due(event=sale.event, now=timezone.now() + MINUTE)
    status = api.call("get", f"/events/{sale.event.pk}/queue").json()
    token = status["queue_pass"]
    other = make_event()
    services.configure_queue(event=other, opens_at=timezone.now(), admission_rate=5, enabled=True)
    assert api.call("get", f"/events/{other.pk}/queue").json()["queue_pass"] is None
    added = api.call(
        "post", "/cart/items", {"offer_id": sale.pk, "quantity": 1}, HTTP_X_QUEUE_PASS=token
    )
    assert added.status_code == 201, added.content
    assert checkout(api).json()["code"] == "queue_required"
    key = str(uuid.uuid4())
    body = {"card_number": TEST_CARD, "expiry": "08/30", "cvv": "123"}
    paid = api.call("post", "/checkout", body, HTTP_IDEMPOTENCY_KEY=key, HTTP_X_QUEUE_PASS=token)
    assert paid.status_code == 201, paid.content
    entry = queue.current_entry(sale.event.pk, str(buyer.pk))
    queue.extend_pass(sale.event.pk, entry, timezone.now() - SECOND)  # the admission ended
    again = api.call(
        "post", "/cart/items", {"offer_id": sale.pk, "quantity": 1}, HTTP_X_QUEUE_PASS=token
    )
    assert again.status_code == 403
    assert api.call("get", f"/events/{sale.event.pk}/queue").json()["queue_pass"] is None


def test_joins_are_limited_per_client_address(sale, make_user, settings, queue):
    settings.QUEUE_JOIN_RATE_LIMIT = 2
    for _account in range(3):
        client = signed_in(make_user(email_verified_at=timezone.now()))
        response = client.post(f"/file-attente/{sale.event.slug}/")
    assert "Trop de demandes" in response.content.decode()
    assert queue.length(sale.event.pk) == 2


def test_the_fairness_page_lets_anyone_redo_the_draw(make_offer, client, queue):
    offer = make_offer()
    opens_at = timezone.now() + 10 * MINUTE
    config = services.configure_queue(
        event=offer.event, opens_at=opens_at, admission_rate=5, enabled=True
    )
    for account in range(12):
        queue.join(offer.event.pk, str(account), timezone.now())
    page = client.get(f"/file-attente/{offer.event.slug}/equite/").content.decode()
    assert config.seed_commitment in page and config.seed not in page
    services.admit_due(event=offer.event, now=opens_at + 2 * MINUTE)
    page = client.get(f"/file-attente/{offer.event.slug}/equite/").content.decode()
    assert config.seed in page
    line = client.get(f"/file-attente/{offer.event.slug}/equite/file.txt").content.decode().split()
    assert len(line) == 12
    assert fair_order(seed=config.seed, entry_ids=line) == line
    assert store.queue_store().admission_log(offer.event.pk) == line[:10]
    assert json.loads(store.queue_store().poll(offer.event.pk, line[0]).status)["state"] == "open"


def test_a_full_sale_keeps_the_line_and_a_sold_out_one_closes(
    sale, buyer, make_user, queue, monkeypatch
):
    from etickets.catalog.models import Event

    for account in range(3):
        queue.join(sale.event.pk, f"other{account}", timezone.now())
    client = signed_in(buyer)
    client.post(f"/file-attente/{sale.event.slug}/")
    every_seat = {sale.event.pk: sale.event.capacity}
    monkeypatch.setattr(services, "held_seats_by_event", lambda ids: every_seat)
    services.admit_due(event=sale.event, now=timezone.now() + MINUTE)
    page = client.get(f"/file-attente/{sale.event.slug}/").content.decode()
    assert "Complet pour l&#x27;instant" in page or "Complet pour l'instant" in page
    assert "4 personnes devant vous." not in page and "3 personnes devant vous." in page
    assert queue.admitted_count(sale.event.pk) == 0  # no seat to absorb anyone

    Event.objects.filter(pk=sale.event.pk).update(sold=sale.event.capacity)
    monkeypatch.setattr(services, "held_seats_by_event", lambda ids: {})
    services.admit_due(event=sale.event, now=timezone.now() + 2 * MINUTE)
    page = client.get(f"/file-attente/{sale.event.slug}/").content.decode()
    assert "la file d&#x27;attente est fermée" in page or "la file d'attente est fermée" in page
    assert "hx-trigger" not in page  # no more polling
    late = signed_in(make_user(email_verified_at=timezone.now()))
    refused = late.post(f"/file-attente/{sale.event.slug}/").content.decode()
    assert "Toutes les places sont vendues" in refused
    assert queue.length(sale.event.pk) == 4


def test_a_refusal_is_said_whatever_the_page_shows(make_offer, buyer):
    offer = make_offer()
    opens_at = timezone.now() + 2 * 60 * MINUTE
    services.configure_queue(event=offer.event, opens_at=opens_at, admission_rate=5, enabled=True)
    page = signed_in(buyer).post(f"/file-attente/{offer.event.slug}/").content.decode()
    assert 'role="alert"' in page and "n&#x27;est pas ouverte" in page


def test_the_announced_place_moves_in_steps():
    from etickets.waitingroom.selectors import Line

    def announced(ahead):
        poll = store.Poll(joined=True, place=ahead, admitted=0, status=None)
        return Line(entry="e", poll=poll, status=None, now=timezone.now()).ahead_rounded

    assert [announced(n) for n in (0, 9, 15, 98, 100, 1234, 98765)] == [
        0,
        0,
        10,
        90,
        100,
        1200,
        98000,
    ]


def test_a_purchase_asks_nothing_of_the_database_while_no_queue_is_on(
    make_offer, buyer, django_assert_num_queries
):
    offer = make_offer()
    services.check_admission(user=buyer, event_ids=[offer.event_id], passes=[], now=timezone.now())
    with django_assert_num_queries(0):  # read once, kept for QUEUE_CONFIG_CACHE_SECONDS
        services.check_admission(
            user=buyer, event_ids=[offer.event_id], passes=[], now=timezone.now()
        )
    services.configure_queue(
        event=offer.event, opens_at=timezone.now(), admission_rate=5, enabled=True
    )
    with pytest.raises(services.QueueRequired):  # the change is seen at once here
        services.check_admission(
            user=buyer, event_ids=[offer.event_id], passes=[], now=timezone.now()
        )


def test_a_long_wait_is_told_in_hours():
    from etickets.waitingroom.selectors import Line, SaleState, Status

    now = timezone.now()
    status = Status(state=SaleState.OPEN, opens_at=now, admission_rate=1, paused=False)

    def wait(ahead):
        poll = store.Poll(joined=True, place=ahead, admitted=0, status=None)
        return Line(entry="e", poll=poll, status=status, now=now)

    assert (wait(58).wait_minutes, wait(58).wait_hours) == (59, None)
    assert wait(1124).wait_hours == (18, 45)
