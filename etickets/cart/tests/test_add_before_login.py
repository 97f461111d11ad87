"""Issue 20, item 4: « Ajouter au panier » before logging in keeps the choice through the login
(its second factor, or a sign-up on the way) and adds it then, under the cart's usual rules."""

from html import unescape

import pyotp
import pytest
from django.test import Client

from conftest import PASSWORD
from etickets.accounts import services as accounts
from etickets.cart import services as cart
from etickets.cart.models import CartLine
from etickets.cart.views import PENDING_ADDITIONS


def page(response):
    return unescape(response.content.decode())


@pytest.fixture
def offer(make_offer, make_event):
    return make_offer(event=make_event(capacity=30, title="Judo — Finales"), price_cents=5000)


def choose(client, offer, quantity):
    """The anonymous visitor's « Ajouter au panier » on the offer's page."""
    return client.post(f"/panier/ajouter/{offer.slug}/", {"quantity": str(quantity)})


def log_in(client, user, **extra):
    return client.post(
        "/connexion/", {"email": user.email, "password": PASSWORD, "next": "/panier/"}, **extra
    )


def in_cart(user):
    return {line.offer.slug: line.quantity for line in CartLine.objects.filter(cart__user=user)}


@pytest.mark.django_db
def test_the_choice_waits_for_the_login_then_lands_in_the_cart(client, offer, make_user):
    user = make_user()
    html = page(client.get(offer.get_absolute_url()))
    assert f'action="/panier/ajouter/{offer.slug}/"' in html and "csrfmiddlewaretoken" in html
    response = choose(client, offer, 3)
    assert response.url == "/connexion/?next=/panier/"
    html = page(client.get(response.url))
    assert "Connectez-vous pour ajouter ces 3 billets à votre panier" in html
    assert "« Judo — Finales — Solo »" in html
    assert not CartLine.objects.exists()

    response = log_in(client, user)
    assert response.url == "/panier/"
    assert in_cart(user) == {offer.slug: 3}
    html = page(client.get("/panier/"))
    assert "3 billets « Judo — Finales — Solo » ajoutés à votre panier." in html
    assert 'value="3"' in html
    assert PENDING_ADDITIONS not in client.session
    # Once only: the next login adds nothing more.
    client.post("/deconnexion/")
    log_in(client, user)
    assert in_cart(user) == {offer.slug: 3}


@pytest.mark.django_db
def test_the_choice_survives_the_second_factor(client, offer, make_user):
    user = make_user()
    device = accounts.totp_device_in_setup(user)
    secret = accounts.totp_secret_for_display(device).replace(" ", "")
    accounts.confirm_totp_device(device, code=pyotp.TOTP(secret).now())
    device.refresh_from_db()
    device.last_t = -1  # the same code again
    device.save()

    choose(client, offer, 2)
    assert log_in(client, user).url == "/connexion/verification/"
    assert not CartLine.objects.exists()  # not before the second factor
    response = client.post("/connexion/verification/", {"code": pyotp.TOTP(secret).now()})
    assert response.url == "/panier/"
    assert in_cart(user) == {offer.slug: 2}


@pytest.mark.django_db
def test_the_choice_survives_a_sign_up(client, offer):
    choose(client, offer, 2)
    response = client.post(
        "/inscription/",
        {
            "username": "marie",
            "email": "marie@example.fr",
            "last_name": "Pérec",
            "first_name": "Marie-José",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_terms": "on",
            "next": "/panier/",
        },
    )
    assert response.url == "/connexion/?next=%2Fpanier%2F"
    response = client.post(
        "/connexion/", {"email": "marie@example.fr", "password": PASSWORD, "next": "/panier/"}
    )
    assert response.url == "/panier/"
    assert CartLine.objects.get().quantity == 2


@pytest.mark.django_db
def test_the_last_choice_per_offer_is_kept(client, offer, make_offer, make_user):
    """A double click, or a changed mind, does not add twice; two offers are both added."""
    user = make_user()
    duo = make_offer(event=offer.event, kind="DUO", price_cents=9000)
    choose(client, offer, 2)
    choose(client, offer, 2)
    choose(client, duo, 1)
    log_in(client, user)
    assert in_cart(user) == {offer.slug: 2, duo.slug: 1}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "Choisissez une quantité d'au moins 1 billet."),
        ("abc", "La quantité doit être un nombre entier."),
        ("7", "Vous ne pouvez pas prendre plus de 6 billets"),
    ],
)
def test_what_is_refused_anyway_is_said_before_the_login(client, offer, quantity, message):
    response = choose(client, offer, quantity)
    assert response.status_code == 200  # the offer's page again, the reason by the field
    assert f'<p class="field-error" id="quantity-error">{message}' in page(response)
    assert PENDING_ADDITIONS not in client.session


@pytest.mark.django_db
def test_a_refusal_after_the_login_is_said_in_the_cart(client, offer, make_offer, make_user):
    """The account's own limits are known only once logged in: the login goes on, the cart
    says why the choice was not added."""
    user = make_user()
    duo = make_offer(event=offer.event, kind="DUO", price_cents=9000)
    cart.add_to_cart(user, offer=duo, quantity=4)
    choose(client, offer, 3)
    response = log_in(client, user)
    assert response.url == "/panier/"
    html = page(client.get("/panier/"))
    assert "« Judo — Finales — Solo » n'a pas été ajouté à votre panier : Au plus 6 billets" in html
    assert in_cart(user) == {duo.slug: 4}


@pytest.mark.django_db
def test_an_offer_withdrawn_meanwhile_is_said_in_the_cart(client, offer, make_user):
    user = make_user()
    choose(client, offer, 1)
    type(offer).objects.filter(pk=offer.pk).update(is_published=False)
    log_in(client, user)
    assert "n'est plus en vente" in page(client.get("/panier/"))
    assert not CartLine.objects.exists()


@pytest.mark.django_db
def test_a_choice_needs_the_pages_csrf_token(offer):
    """Another site cannot slip an addition into a visitor's next login."""
    client = Client(enforce_csrf_checks=True)
    assert choose(client, offer, 3).status_code == 403
    assert client.get(f"/panier/ajouter/{offer.slug}/?quantity=3").status_code == 405
    assert PENDING_ADDITIONS not in client.session
