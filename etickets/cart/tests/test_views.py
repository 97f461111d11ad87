from html import unescape

import pytest

from etickets.cart import services
from etickets.cart.models import CartLine
from etickets.catalog.models import OfferKind

# Tests of other rules that let one buyer fill an event: the per-account limits have theirs
# (test_limits.py).
pytestmark = pytest.mark.usefixtures("generous_limits")

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def shopper(client, make_user, make_offer, make_event):
    user = make_user()
    client.force_login(user)
    event = make_event(capacity=30, title="Judo — Finales")
    solo = make_offer(event=event, price_cents=5000)
    duo = make_offer(event=event, kind=OfferKind.DUO, price_cents=9000)
    return client, user, solo, duo


def page(response):
    return unescape(response.content.decode())


@pytest.mark.django_db
def test_cart_needs_login(client):
    assert client.get("/panier/").url == "/connexion/?next=/panier/"


@pytest.mark.django_db
def test_add_from_the_offer_page_with_a_notification(shopper):
    client, _, solo, _ = shopper
    html = page(client.get(solo.get_absolute_url()))
    assert f'action="/panier/ajouter/{solo.slug}/"' in html
    response = client.post(f"/panier/ajouter/{solo.slug}/", {"quantity": "2"}, follow=True)
    assert "2 billets « Judo — Finales — Solo » ajoutés à votre panier." in page(response)
    assert CartLine.objects.get().quantity == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "Choisissez une quantité d'au moins 1 billet."),
        ("abc", "La quantité doit être un nombre entier."),
        ("31", "Vous ne pouvez pas prendre plus de 20 billets"),
    ],
)
def test_add_refusals_are_explained_next_to_the_field(shopper, quantity, message):
    client, _, solo, _ = shopper
    response = client.post(f"/panier/ajouter/{solo.slug}/", {"quantity": quantity})
    assert response.status_code == 200  # the offer's page again, not a redirect
    html = page(response)
    assert f'<p class="field-error" id="quantity-error">{message}' in html
    assert f'value="{quantity}"' in html and 'aria-invalid="true"' in html
    assert 'aria-describedby="quantity-help quantity-error"' in html
    assert "Autres formules pour cette épreuve" in html  # the whole page
    assert not CartLine.objects.exists()


@pytest.mark.django_db
def test_offer_page_form_leaves_checks_to_the_server(shopper):
    """The browser's own bubbles speak its language, not the site's: the form has novalidate."""
    client, _, solo, _ = shopper
    html = page(client.get(solo.get_absolute_url()))
    assert (
        f'<form id="ajouter" method="post" action="/panier/ajouter/{solo.slug}/" novalidate>'
        in html
    )
    assert 'value="1"' in html and "field-error" not in html


@pytest.mark.django_db
def test_cart_page_lists_lines_subtotals_and_total(shopper):
    client, user, solo, duo = shopper
    services.add_to_cart(user, offer=solo, quantity=2)
    services.add_to_cart(user, offer=duo, quantity=1)
    html = page(client.get("/panier/"))
    assert "Judo — Finales" in html
    assert "Prix unitaire : 50,00\u00a0€" in html and "90,00\u00a0€" in html
    assert "100,00\u00a0€" in html  # 2 × 50
    assert "190,00\u00a0€" in html  # total
    for text in ("Vider le panier", "Procéder au paiement", "Total à payer", "réservées jusqu'à"):
        assert text in html
    assert 'data-seconds-left="' in html
    assert '<span class="count" aria-hidden="true">3</span>' in html


@pytest.mark.django_db
def test_plus_minus_and_typing_without_javascript(shopper):
    client, user, solo, _ = shopper
    services.add_to_cart(user, offer=solo, quantity=2)
    client.post(f"/panier/lignes/{solo.pk}/", {"quantity": "2", "step": "1"})
    assert CartLine.objects.get().quantity == 3
    client.post(f"/panier/lignes/{solo.pk}/", {"quantity": "3", "step": "-1"})
    assert CartLine.objects.get().quantity == 2
    response = client.post(f"/panier/lignes/{solo.pk}/", {"quantity": "7"})
    assert response.url == "/panier/"
    assert CartLine.objects.get().quantity == 7


@pytest.mark.django_db
def test_the_default_button_sends_the_quantity_as_typed(shopper):
    """Enter in a quantity, without JavaScript, submits the form's first button: it must not be
    « − » (which would take one off, or do nothing at 1)."""
    client, user, solo, _ = shopper
    services.add_to_cart(user, offer=solo, quantity=1)
    html = page(client.get("/panier/"))
    form = html[html.index('<form class="quantity-form"') :]
    first_button = form[form.index("<button") : form.index("</button>")]
    assert 'type="submit"' in first_button and "name=" not in first_button
    assert "Mettre à jour" in first_button
    assert "novalidate" in form[: form.index(">")]


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [{}, HTMX])
@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("abc", "La quantité doit être un nombre entier."),
        ("", "Indiquez une quantité."),
        ("25", "Vous ne pouvez pas prendre plus de 20 billets"),
    ],
)
def test_refused_quantity_is_explained_next_to_its_line(shopper, htmx, quantity, message):
    client, user, solo, duo = shopper
    services.add_to_cart(user, offer=solo, quantity=2)
    services.add_to_cart(user, offer=duo, quantity=1)
    response = client.post(f"/panier/lignes/{solo.pk}/", {"quantity": quantity}, **htmx)
    assert response.status_code == 200  # the reason next to the line
    html = page(response)
    assert f'<p class="field-error cart-line-error" id="quantity-error-{solo.pk}">{message}' in html
    assert html.count("cart-line-error") == 1  # that line's only
    assert (
        f'id="quantity-{solo.pk}" type="number" name="quantity" value="2" '
        f'aria-invalid="true" aria-describedby="quantity-error-{solo.pk}"'
    ) in html
    assert f'id="quantity-{duo.pk}" type="number" name="quantity" value="1" min="0"' in html
    assert CartLine.objects.get(offer=solo).quantity == 2


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["x", "0", "1.5", "   ", "2"])
def test_a_hand_made_step_is_refused_not_a_500(shopper, step):
    client, user, solo, _ = shopper
    services.add_to_cart(user, offer=solo, quantity=2)
    message = "Changez la quantité avec les boutons « − » et « + » ou en la saisissant."
    for url in (f"/panier/lignes/{solo.pk}/", f"/panier/ajouter/{solo.slug}/"):
        response = client.post(url, {"quantity": "2", "step": step})
        assert response.status_code == 200
        assert message in page(response)
    assert CartLine.objects.get().quantity == 2


@pytest.mark.django_db
def test_typing_zero_removes_the_line_and_says_so(shopper):
    client, user, solo, _ = shopper
    services.add_to_cart(user, offer=solo, quantity=2)
    html = page(client.post(f"/panier/lignes/{solo.pk}/", {"quantity": "0"}, follow=True))
    assert "« Judo — Finales — Solo » a été retiré de votre panier." in html
    assert not CartLine.objects.exists()


@pytest.mark.django_db
def test_htmx_updates_return_the_cart_and_the_navigation_count(shopper):
    client, user, solo, _ = shopper
    services.add_to_cart(user, offer=solo, quantity=2)
    response = client.post(f"/panier/lignes/{solo.pk}/", {"quantity": "2", "step": "1"}, **HTMX)
    html = page(response)
    assert "<html" not in html
    assert html.strip().startswith('<div id="cart"')
    assert "150,00\u00a0€" in html
    assert '<span id="cart-count" hx-swap-oob="true">' in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
def test_refused_change_is_shown_in_the_cart(shopper, make_user):
    client, user, solo, _ = shopper
    services.add_to_cart(user, offer=solo, quantity=2)
    services.add_to_cart(make_user(), offer=solo, quantity=20)
    html = page(client.post(f"/panier/lignes/{solo.pk}/", {"quantity": "11"}, **HTMX))
    assert "Il ne reste que 10 billets pour cette offre" in html
    assert CartLine.objects.get(cart__user=user).quantity == 2


@pytest.mark.django_db
def test_bin_and_empty_cart(shopper):
    client, user, solo, duo = shopper
    services.add_to_cart(user, offer=solo, quantity=1)
    services.add_to_cart(user, offer=duo, quantity=1)
    html = page(client.post(f"/panier/lignes/{solo.pk}/supprimer/", follow=True))
    assert "« Judo — Finales — Solo » a été retiré de votre panier." in html
    html = page(client.post("/panier/vider/", {"confirm": "1"}, follow=True))
    assert "Votre panier a été vidé." in html
    assert "Votre panier est vide." in html


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_emptying_the_cart_asks_first(shopper, method):
    """One click (a GET from the cart's link, or a POST without ``confirm=1``) asks; only the
    question's own button empties the cart."""
    client, user, solo, duo = shopper
    services.add_to_cart(user, offer=solo, quantity=2)
    services.add_to_cart(user, offer=duo, quantity=1)
    assert 'href="/panier/vider/"' in page(client.get("/panier/"))
    response = getattr(client, method)("/panier/vider/")
    assert response.status_code == 200
    html = page(response)
    assert "<h1" in html and "Vider le panier ?" in html
    assert "Les 3 billets réservés seront libérés" in html
    assert "2 × Judo — Finales — Solo" in html and "1 × Judo — Finales — Duo" in html
    assert '<input type="hidden" name="confirm" value="1">' in html
    assert 'href="/panier/">Annuler, garder mon panier</a>' in html
    assert CartLine.objects.filter(cart__user=user).count() == 2


@pytest.mark.django_db
def test_htmx_gets_the_question_as_a_dialog(shopper):
    client, user, solo, _ = shopper
    services.add_to_cart(user, offer=solo, quantity=1)
    response = client.get("/panier/vider/", **HTMX)
    html = page(response)
    assert '<dialog class="confirm-dialog"' in html and "<html" not in html
    assert "Le billet réservé sera libéré" in html
    assert '<form method="dialog">' in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
def test_emptying_an_empty_cart_goes_back_to_it(shopper):
    client, _, _, _ = shopper
    assert client.get("/panier/vider/").url == "/panier/"


@pytest.mark.django_db
def test_another_users_line_is_a_404(shopper, make_user):
    client, _, solo, _ = shopper
    services.add_to_cart(make_user(), offer=solo, quantity=1)
    assert client.post(f"/panier/lignes/{solo.pk}/", {"quantity": "5"}).status_code == 404
    assert client.post(f"/panier/lignes/{solo.pk}/supprimer/").status_code == 404
    assert CartLine.objects.get().quantity == 1


@pytest.mark.django_db
def test_cart_actions_are_posts(shopper):
    client, _, solo, _ = shopper
    assert client.get(f"/panier/ajouter/{solo.slug}/").status_code == 405


@pytest.mark.django_db
def test_expired_cart_tells_and_reserves_again(shopper):
    from etickets.inventory.models import Hold

    client, user, solo, _ = shopper
    services.add_to_cart(user, offer=solo, quantity=2)
    Hold.objects.update(expires_at="2000-01-01T00:00:00Z")
    html = page(client.get("/panier/"))
    assert "Votre réservation avait expiré" in html
    assert Hold.objects.get().expires_at.year > 2000


@pytest.mark.django_db
def test_busy_pools_ask_to_retry(shopper, monkeypatch):
    from etickets.core.errors import Busy

    client, _, solo, _ = shopper

    def busy(*args, **kwargs):
        raise Busy()

    monkeypatch.setattr(services, "add_to_cart", busy)
    response = client.post(f"/panier/ajouter/{solo.slug}/", {"quantity": "1"}, follow=True)
    assert "Forte affluence, veuillez réessayer dans un instant." in page(response)
