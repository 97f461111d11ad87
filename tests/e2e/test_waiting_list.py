"""« Liste d'attente » in Chromium: a buyer joins the list of a sold-out Duo offer for 2
tickets, a hold expires, the lists' job gives them the seats, the e-mail leads to the cart
where they are held, and they pay; in French and in English, at 1280 and 360 px."""

import datetime
import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD

from .browser import assert_accessible, assert_no_horizontal_overflow, log_in, screenshot

pytestmark = pytest.mark.e2e

WORDS = {
    "fr": {
        "join": "M'inscrire sur la liste d'attente",
        "quantity": "Nombre de billets",
        "place": "Vous êtes n° 1 dans la liste d'attente",
        "too_many": "Vous ne pouvez pas prendre plus de",
        "subject": "Des places pour vous",
        "held": "Réservé pour vous jusqu'à",
        "checkout": "Procéder au paiement",
        "card": "Numéro de carte",
        "expiry": "Date d'expiration",
        "cvv": "Code de sécurité (CVV)",
        "pay": "Payer",
        "confirmation": "Confirmation de commande",
    },
    "en": {
        "join": "Join the waiting list",
        "quantity": "Number of tickets",
        "place": "You are number 1 on the waiting list",
        "too_many": "You cannot buy more than",
        "subject": "Seats for you",
        "held": "Held for you until",
        "checkout": "Proceed to payment",
        "card": "Card number",
        "expiry": "Expiry date",
        "cvv": "Security code (CVV)",
        "pay": "Pay",
        "confirmation": "Order confirmation",
    },
}


def check(page, name, width):
    if width == 360:
        assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, f"{name}-{width}")


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("width", [1280, 360])
def test_joining_a_waiting_list_and_getting_the_held_seats(
    page, base_url, transactional_db, make_user, make_event, make_offer, language, width
):
    from etickets.cart import services as cart
    from etickets.catalog.models import Event, OfferKind
    from etickets.inventory.models import Hold
    from etickets.waitlist.models import EntryState, WaitingEntry

    words = WORDS[language]
    event = make_event(capacity=8, title_en="Athletics — evening session")
    duo = make_offer(event=event, kind=OfferKind.DUO, max_per_order=3, price_cents=9000)
    Event.objects.filter(pk=event.pk).update(sold=4)
    cart.add_to_cart(make_user(), offer=duo, quantity=2)  # the last 4 seats, held
    buyer = make_user(email="lea.waiting@example.fr", first_name="Léa", language=language)

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base_url, buyer.email, PASSWORD)
    if language == "en":
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    page.set_viewport_size({"width": width, "height": 900 if width == 1280 else 740})

    page.goto(f"{base_url}{duo.get_absolute_url()}")
    field = page.get_by_label(words["quantity"])
    field.fill("5")  # past the offer's limit: said next to the field
    page.get_by_role("button", name=words["join"]).click()
    expect(page.locator("#waitlist-error")).to_contain_text(words["too_many"])
    expect(page.get_by_label(words["quantity"])).to_be_focused()
    check(page, f"waitlist-refused-{language}", width)

    page.get_by_label(words["quantity"]).fill("2")
    page.get_by_role("button", name=words["join"]).click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.locator(".waitlist-entries")).to_contain_text(words["place"])
    check(page, f"waitlist-mine-{language}", width)
    page.goto(f"{base_url}{duo.get_absolute_url()}")
    expect(page.locator(".waitlist")).to_contain_text(words["place"])
    check(page, f"waitlist-offer-{language}", width)

    # The other buyer does not pay: their hold expires, the lists' job runs.
    Hold.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    call_command("run_waiting_lists", stdout=open("/dev/null", "w"))  # noqa: SIM115
    (message,) = [m for m in mail.outbox if m.to == [buyer.email]]
    assert words["subject"] in message.subject
    (html, _kind) = message.alternatives[0]
    link = re.search(r'href="([^"]*/panier/)"', html).group(1)

    page.goto(base_url + urlparse(link).path)
    line = page.locator(".cart-line")
    expect(line).to_have_count(1)
    expect(line).to_contain_text(words["held"])
    check(page, f"waitlist-cart-{language}", width)

    page.get_by_role("link", name=words["checkout"]).click()
    page.get_by_label(words["card"]).fill("4242 4242 4242 4242")
    page.get_by_label(words["expiry"]).fill("08/30")
    page.get_by_label(words["cvv"]).fill("123")
    page.get_by_role("button", name=words["pay"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["confirmation"])
    assert WaitingEntry.objects.get(user=buyer).state == EntryState.FULFILLED
    event.refresh_from_db()
    assert (event.sold, event.waiting_seats) == (8, 0)


def test_the_back_office_sees_each_list(
    page, base_url, administrator, make_user, make_event, make_offer
):
    from etickets.catalog.models import Event, OfferKind
    from etickets.inventory import services as pool
    from etickets.waitlist import services

    from .browser import LONG_EMAIL, LONG_TITLE

    event = make_event(title=LONG_TITLE, capacity=4)
    solo = make_offer(event=event)
    duo = make_offer(event=event, kind=OfferKind.DUO)
    Event.objects.filter(pk=event.pk).update(sold=4)
    services.join_waiting_list(user=make_user(email=LONG_EMAIL), offer=solo, quantity=1)
    services.join_waiting_list(user=make_user(), offer=duo, quantity=2)
    pool.release_sold_seats({event.pk: 1})
    services.offer_returned_seats(event_id=event.pk)

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base_url, "direction@example.fr", PASSWORD, administrator)
    page.goto(f"{base_url}/backoffice/epreuves/{event.pk}/")
    page.get_by_role("link", name="Listes d'attente").click()
    expect(page.get_by_text("4 places réservées aux inscrits qui attendent")).to_be_visible()
    expect(page.locator("table").first).to_contain_text("Places proposées")
    check(page, "waitlist-backoffice", 1280)
    page.set_viewport_size({"width": 360, "height": 740})
    check(page, "waitlist-backoffice", 360)
