"""Issue 20, item 4: « Ajouter au panier » before logging in keeps the choice through the login
(its second factor, or a sign-up on the way) and the cart page, where the login leads, adds it
then, under the cart's usual rules. The login never depends on the cart."""

from html import unescape

import pyotp
import pytest
from django.db import IntegrityError, OperationalError
from django.test import Client

from conftest import PASSWORD
from etickets.accounts import services as accounts
from etickets.cart import services as cart
from etickets.cart.models import CartLine
from etickets.cart.pending import KEY as PENDING_ADDITIONS


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
    assert not CartLine.objects.exists()  # the cart page adds it
    html = page(client.get("/panier/"))
    assert in_cart(user) == {offer.slug: 3}
    assert "3 billets « Judo — Finales — Solo » ajoutés à votre panier." in html
    assert 'value="3"' in html
    assert PENDING_ADDITIONS not in client.session
    # Once only: the next load, or login, adds nothing more.
    client.get("/panier/")
    client.post("/deconnexion/")
    log_in(client, user)
    client.get("/panier/")
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
    assert client.get("/panier/").url.startswith("/connexion/")  # not before the second factor
    assert not CartLine.objects.exists()
    response = client.post("/connexion/verification/", {"code": pyotp.TOTP(secret).now()})
    assert response.url == "/panier/"
    client.get("/panier/")
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
    client.get("/panier/")
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
    client.get("/panier/")
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


@pytest.mark.django_db
def test_at_most_ten_offers_wait(client, make_offer, make_event):
    offers = [make_offer(event=make_event(title=f"Match {n}")) for n in range(11)]
    for chosen in offers[:10]:
        assert choose(client, chosen, 1).status_code == 302
    assert choose(client, offers[0], 2).status_code == 302  # a changed mind is no more
    response = choose(client, offers[10], 1)
    assert response.status_code == 200
    assert "Vous avez déjà choisi 10 offres : connectez-vous" in page(response)
    assert len(client.session[PENDING_ADDITIONS]) == 10


def with_pending(client, user, stored):
    """``user`` logged in, with ``stored`` as their session's pending additions."""
    client.force_login(user)
    session = client.session
    session[PENDING_ADDITIONS] = stored
    session.save()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "stored",
    [
        "3",
        ["1", 2],
        {"abc": 1},
        {"-1": 1},
        {"99999999999999999999": 1},
        {"1": "2"},
        {"1": 0},
        {"1": True},
        {str(n): 1 for n in range(1, 12)},
    ],
)
def test_a_malformed_entry_is_dropped_without_an_error(client, make_user, stored):
    user = make_user()
    with_pending(client, user, stored)
    assert client.get("/panier/").status_code == 200
    assert PENDING_ADDITIONS not in client.session
    assert not CartLine.objects.exists()


@pytest.mark.django_db
def test_a_quantity_refused_meanwhile_is_said_in_the_cart(client, offer, make_user):
    user = make_user()
    with_pending(client, user, {str(offer.pk): 7})
    html = page(client.get("/panier/"))
    assert "n'a pas été ajouté à votre panier : Vous ne pouvez pas prendre plus de 6" in html
    assert not CartLine.objects.exists()


def failing_once(monkeypatch, error):
    """add_to_cart raising ``error`` on its first call only."""
    real, calls = cart.add_to_cart, []

    def add_to_cart(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(cart, "add_to_cart", add_to_cart)


@pytest.mark.django_db
def test_a_database_down_leaves_the_login_working_and_the_choice_waiting(
    client, offer, make_user, monkeypatch
):
    user = make_user()
    failing_once(monkeypatch, OperationalError("connection refused"))
    client.raise_request_exception = False
    choose(client, offer, 2)
    assert log_in(client, user).url == "/panier/"
    assert client.get("/panier/").status_code == 503
    assert client.session[PENDING_ADDITIONS] == {str(offer.pk): 2}
    html = page(client.get("/panier/"))  # the next load, once the database is back
    assert "2 billets « Judo — Finales — Solo » ajoutés à votre panier." in html
    assert in_cart(user) == {offer.slug: 2}
    assert PENDING_ADDITIONS not in client.session


@pytest.mark.django_db
def test_what_was_added_before_a_failure_is_not_added_again(
    client, offer, make_offer, make_user, monkeypatch
):
    user = make_user()
    duo = make_offer(event=offer.event, kind="DUO", price_cents=9000)
    choose(client, offer, 2)
    choose(client, duo, 1)
    log_in(client, user)
    real = cart.add_to_cart

    def down_after_the_first(user, *, offer, quantity, passes):
        if offer.pk == duo.pk:
            raise OperationalError("connection refused")
        return real(user, offer=offer, quantity=quantity, passes=passes)

    monkeypatch.setattr(cart, "add_to_cart", down_after_the_first)
    client.raise_request_exception = False
    assert client.get("/panier/").status_code == 503
    assert client.session[PENDING_ADDITIONS] == {str(duo.pk): 1}
    monkeypatch.setattr(cart, "add_to_cart", real)
    client.get("/panier/")
    assert in_cart(user) == {offer.slug: 2, duo.slug: 1}


@pytest.mark.django_db
def test_after_a_bug_the_cart_opens_again(client, offer, make_user, monkeypatch):
    """A bug must not make every load of the cart fail: the choice is dropped."""
    user = make_user()
    failing_once(monkeypatch, IntegrityError("a bug"))
    client.raise_request_exception = False
    choose(client, offer, 2)
    log_in(client, user)
    assert client.get("/panier/").status_code == 500
    assert client.get("/panier/").status_code == 200
    assert PENDING_ADDITIONS not in client.session
