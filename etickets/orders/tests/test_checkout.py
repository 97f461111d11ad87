from html import unescape

import pytest
from django.test import TestCase

from etickets.cart import services as cart
from etickets.orders.models import Order
from etickets.payments.models import SandboxCharge


@pytest.fixture
def ready(client, make_user, make_offer):
    user = make_user()
    client.force_login(user)
    cart.add_to_cart(user, offer=make_offer(price_cents=4500), quantity=2)
    return client, user


def form_data(page_html, **overrides):
    key = page_html.split('name="idempotency_key" value="')[1].split('"')[0]
    data = {
        "idempotency_key": key,
        "number": "4242 4242 4242 4242",
        "expiry": "08/30",
        "cvv": "123",
    }
    data.update(overrides)
    return data


def get(client):
    return unescape(client.get("/paiement/").content.decode())


@pytest.mark.django_db
def test_payment_page_shows_summary_and_card_form(ready):
    client, _ = ready
    response = client.get("/paiement/")
    html = unescape(response.content.decode())
    for text in (
        "Récapitulatif de votre commande",
        "90,00\u00a0€",
        "Numéro de carte",
        "Date d'expiration",
        "MM/AA",
        "Code de sécurité (CVV)",
        ">Payer</button>",
        "Nous ne stockons jamais vos informations de carte bancaire",
    ):
        assert text in html, text
    assert 'alt="Visa"' in html and 'alt="Mastercard"' in html and 'alt="American Express"' in html
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_each_render_mints_a_new_key(ready):
    client, _ = ready
    assert form_data(get(client))["idempotency_key"] != form_data(get(client))["idempotency_key"]


@pytest.mark.django_db
def test_pay_then_land_on_the_confirmation(ready):
    client, _ = ready
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/paiement/", form_data(get(client)))
    order = Order.objects.get()
    assert response.url == f"/commandes/{order.reference}/"
    html = unescape(client.get(response.url).content.decode())
    assert "Confirmation de commande" in html and order.reference in html
    assert "Visa •••• 4242" in html and "90,00\u00a0€" in html
    assert "/mes-billets/" in html


@pytest.mark.django_db
def test_double_click_on_payer_makes_one_order_and_one_charge(ready):
    client, _ = ready
    data = form_data(get(client))
    first = client.post("/paiement/", data)
    second = client.post("/paiement/", data)
    assert first.url == second.url
    assert Order.objects.count() == 1 and SandboxCharge.objects.count() == 1


@pytest.mark.django_db
def test_declined_card_shows_why_and_keeps_the_cart_and_fields(ready):
    client, _ = ready
    data = form_data(get(client), number="4000 0000 0000 0002")
    html = unescape(client.post("/paiement/", data).content.decode())
    # At the top of the page, leading to the card number to change.
    summary = html[html.index("data-error-summary") : html.index("<h1>")]
    assert (
        '<a href="#id_number">Paiement refusé par votre banque. Vérifiez vos informations ou '
        "utilisez une autre carte. Votre panier est conservé.</a>"
    ) in summary
    assert 'value="4000 0000 0000 0002"' in html
    assert 'value="123"' not in html  # never the security code
    assert data["idempotency_key"] not in html  # the next attempt gets a new key
    assert not Order.objects.exists()
    assert "90,00\u00a0€" in html


@pytest.mark.django_db
def test_invalid_card_fields_are_explained_on_the_field(ready):
    client, _ = ready
    data = form_data(get(client), number="4242 4242 4242 4241", cvv="12")
    html = unescape(client.post("/paiement/", data).content.decode())
    assert 'id="id_number_error"' in html and "n'est pas valide" in html
    assert 'id="id_cvv_error"' in html
    assert not SandboxCharge.objects.exists()


@pytest.mark.django_db
def test_the_browser_cannot_change_the_amount(ready):
    client, _ = ready
    client.post("/paiement/", {**form_data(get(client)), "amount": "1", "total_cents": "1"})
    assert Order.objects.get().total_cents == 9000


@pytest.mark.django_db
def test_empty_cart_goes_back_to_the_cart(client, make_user):
    client.force_login(make_user())
    assert client.get("/paiement/").url == "/panier/"


@pytest.mark.django_db
def test_orders_are_private(ready, make_user):
    client, _ = ready
    client.post("/paiement/", form_data(get(client)))
    order = Order.objects.get()
    stranger = type(client)()
    stranger.force_login(make_user())
    assert stranger.get(f"/commandes/{order.reference}/").status_code == 404
    assert stranger.get("/commandes/JO24-AAAA-BBBB/").status_code == 404
    assert order.reference not in stranger.get("/compte/commandes/").content.decode()
    mine = unescape(client.get("/compte/commandes/").content.decode())
    assert order.reference in mine and "2 billets" in mine
