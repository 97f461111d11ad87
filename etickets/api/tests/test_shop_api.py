"""The public API, endpoint by endpoint: authentication, each error code, idempotency, sold out."""

import json
import uuid

import pyotp
import pytest
from django.conf import settings

from conftest import PASSWORD
from etickets.accounts import services as accounts
from etickets.api.models import ApiToken
from etickets.catalog.models import OfferKind
from etickets.core.testing import ApplicationClient as Client
from etickets.orders.models import Order
from etickets.payments.models import SandboxCharge
from etickets.tickets.services import check_ticket


class Api:
    def __init__(self, token=None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def call(self, method, path, body=None, **headers):
        kwargs = {**self.headers, **headers}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method)(f"/api/v1{path}", **kwargs)


def token_for(user, **extra):
    response = Api().call(
        "post", "/auth/token", {"email": user.email, "password": PASSWORD, **extra}
    )
    assert response.status_code == 201, response.content
    return response.json()["token"]


@pytest.fixture
def shopper(make_user):
    user = make_user()
    return user, Api(token_for(user))


@pytest.fixture
def offers(make_event, make_offer):
    event = make_event(capacity=10, title="Natation")
    return {
        "solo": make_offer(event=event, kind=OfferKind.SOLO, price_cents=4000),
        "familiale": make_offer(event=event, kind=OfferKind.FAMILIALE, price_cents=15000),
    }


def checkout(api, key=None, number="4242 4242 4242 4242"):
    key = key or str(uuid.uuid4())
    body = {"card_number": number, "expiry": "08/30", "cvv": "123"}
    return api.call("post", "/checkout", body, HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.django_db
def test_token_errors(make_user):
    user = make_user()
    wrong = Api().call("post", "/auth/token", {"email": user.email, "password": "faux"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "invalid_credentials"
    assert Api().call("post", "/auth/token", {"email": 3}).status_code == 400
    assert Api().call("post", "/auth/token", "pas du json").status_code == 400
    assert Api("jet_faux").call("get", "/cart/items").json()["code"] == "unauthorized"
    assert Api().call("get", "/orders").status_code == 401


@pytest.mark.django_db
def test_token_with_two_factor(make_user):
    user = make_user()
    device = accounts.totp_device_in_setup(user)
    accounts.confirm_totp_device(
        device, code=pyotp.TOTP(accounts.totp_secret_for_display(device).replace(" ", "")).now()
    )
    response = Api().call("post", "/auth/token", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 401 and response.json()["code"] == "otp_required"
    codes = accounts.regenerate_recovery_codes(user)
    assert token_for(user, otp=codes[0]).startswith("jet_")
    wrong = {"email": user.email, "password": PASSWORD, "otp": "000000"}
    assert Api().call("post", "/auth/token", wrong).json()["code"] == "otp_invalid"
    # Through the bearer stack too (no session there): the wrong code still counts.
    assert Api("jet_any").call("post", "/auth/token", wrong).json()["code"] == "otp_invalid"


@pytest.mark.django_db
@pytest.mark.parametrize("bearer", [None, "jet_any"], ids=["site-stack", "bearer-stack"])
def test_wrong_codes_lock_the_token_endpoint_even_for_the_right_code(make_user, bearer):
    """Item 2 on the API: guesses of the second factor count for the account; once locked, the
    right password and the right code are refused, and the code is not spent."""
    user = make_user()
    device = accounts.totp_device_in_setup(user)
    accounts.confirm_totp_device(
        device, code=pyotp.TOTP(accounts.totp_secret_for_display(device).replace(" ", "")).now()
    )
    codes = accounts.regenerate_recovery_codes(user)
    wrong = {"email": user.email, "password": PASSWORD, "otp": "000000"}
    for _ in range(5):
        Api(bearer).call("post", "/auth/token", wrong)
    right = Api(bearer).call("post", "/auth/token", {**wrong, "otp": codes[0]})
    assert right.status_code == 429 and right.json()["code"] == "rate_limited"
    assert accounts.verify_second_factor(user, code=codes[0]) is not None
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("bearer", [None, "jet_any"], ids=["site-stack", "bearer-stack"])
def test_lockout_is_429(make_user, bearer):
    """Also for a caller who adds a bearer token to take the API's shorter middleware stack:
    the lockout lives in the authentication backend, not in a middleware."""
    user = make_user()
    for _ in range(5):
        Api(bearer).call("post", "/auth/token", {"email": user.email, "password": "faux"})
    locked = Api(bearer).call("post", "/auth/token", {"email": user.email, "password": PASSWORD})
    assert locked.status_code == 429 and locked.json()["code"] == "rate_limited"


@pytest.mark.django_db(transaction=True)  # the caches are told once the revocation is committed
def test_tokens_are_listed_and_revoked(shopper):
    _user, api = shopper
    (token,) = api.call("get", "/auth/tokens").json()
    assert token["name"] == "Application mobile" and token["prefix"].startswith("jet_")
    assert token["expires_at"] > token["created_at"]
    assert api.call("delete", f"/auth/tokens/{token['id']}").status_code == 204
    assert api.call("get", "/auth/tokens").status_code == 401
    assert ApiToken.objects.get().revoked


@pytest.mark.django_db
def test_revoking_someone_elses_token_is_a_404(shopper, make_user):
    """Item 16: a 204 told the caller that the id exists and hid that nothing was revoked."""
    _user, api = shopper
    other_api = Api(token_for(make_user()))
    other = ApiToken.objects.order_by("-pk").first()
    for token_id in (other.pk, 2_000_000):
        refused = api.call("delete", f"/auth/tokens/{token_id}")
        assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert other_api.call("get", "/auth/tokens").status_code == 200
    assert not ApiToken.objects.filter(revoked=True).exists()


@pytest.mark.django_db
def test_offers(offers):
    listing = Api().call("get", "/offers").json()
    assert [o["type"] for o in listing] == ["solo", "familiale"]
    assert listing[1]["tickets_available"] == 2 and listing[1]["persons"] == 4
    assert [o["type"] for o in Api().call("get", "/offers?type=familiale").json()] == ["familiale"]
    bad = Api().call("get", "/offers?type=vip")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_type"
    one = Api().call("get", f"/offers/{offers['solo'].pk}").json()
    assert one["price_cents"] == 4000 and one["event"]["title"] == "Natation"
    missing = Api().call("get", "/offers/999999")
    assert missing.status_code == 404 and missing.json() == {
        "code": "not_found",
        "message": "Introuvable.",
    }


@pytest.mark.django_db
def test_an_event_comes_in_french_and_in_english(offers, make_event, make_offer):
    """``title``, ``venue`` and ``city`` keep their meaning (French), whatever the language the
    client chose; the ``_en`` fields give the English, or the French where it is missing."""
    fencing = make_event(
        title="Escrime — Finales", title_en="Fencing — Finals", venue="Grand Palais", city="Paris"
    )
    make_offer(event=fencing)
    api = Api()
    api.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    events = {o["event"]["title"]: o["event"] for o in api.call("get", "/offers").json()}
    assert events["Escrime — Finales"]["title_en"] == "Fencing — Finals"
    assert events["Escrime — Finales"]["venue_en"] == "Grand Palais"
    untranslated = events["Natation"]
    assert untranslated["title_en"] == "Natation" and untranslated["city_en"] == "Saint-Denis"


@pytest.mark.django_db
def test_cart_items(shopper, offers):
    _user, api = shopper
    solo = offers["solo"].pk
    added = api.call("post", "/cart/items", {"offer_id": solo, "quantity": 2})
    assert added.status_code == 201 and added.json()["total_cents"] == 8000
    assert added.json()["held_until"]
    changed = api.call("patch", f"/cart/items/{solo}", {"quantity": 5}).json()
    assert changed["items"][0]["quantity"] == 5
    assert api.call("get", "/cart/items").json()["total_cents"] == 20000
    assert api.call("delete", f"/cart/items/{solo}").json()["items"] == []
    assert api.call("patch", f"/cart/items/{solo}", {"quantity": 1}).status_code == 404
    invalid = api.call("post", "/cart/items", {"offer_id": solo, "quantity": 0})
    assert invalid.status_code == 400 and invalid.json()["code"] == "invalid"


@pytest.mark.django_db
def test_the_cart_an_addition_returns_is_the_cart_as_read_back(shopper, offers, make_user):
    """Adding answers with the cart as the lock left it (no second read): the same lines,
    holds and tickets still available as a read of the cart right after."""
    _user, api = shopper
    solo, familiale = offers["solo"].pk, offers["familiale"].pk
    Api(token_for(make_user())).call("post", "/cart/items", {"offer_id": solo, "quantity": 3})
    api.call("post", "/cart/items", {"offer_id": solo, "quantity": 2})
    added = api.call("post", "/cart/items", {"offer_id": familiale, "quantity": 1}).json()
    assert added == api.call("get", "/cart/items").json()
    assert [item["offer"]["tickets_available"] for item in added["items"]] == [1, 0]


@pytest.mark.django_db
@pytest.mark.usefixtures("generous_limits")
def test_sold_out_is_409(shopper, offers, make_user):
    _user, api = shopper
    response = api.call("post", "/cart/items", {"offer_id": offers["familiale"].pk, "quantity": 3})
    assert response.status_code == 409 and response.json()["code"] == "not_enough_seats"
    assert "Il ne reste que 2 billets" in response.json()["message"]
    other = Api(token_for(make_user()))
    other.call("post", "/cart/items", {"offer_id": offers["solo"].pk, "quantity": 10})
    full = api.call("post", "/cart/items", {"offer_id": offers["solo"].pk, "quantity": 1})
    assert full.status_code == 409 and full.json()["code"] == "sold_out"


@pytest.mark.django_db
def test_checkout_is_idempotent(shopper, offers):
    _user, api = shopper
    api.call("post", "/cart/items", {"offer_id": offers["familiale"].pk, "quantity": 1})
    key = str(uuid.uuid4())
    first = checkout(api, key)
    assert first.status_code == 201
    body = first.json()
    assert body["reference"].startswith("JO24-") and body["total_cents"] == 15000
    (ticket,) = body["tickets"]
    assert ticket["persons"] == 4 and ticket["status"] == "valid"
    assert str(check_ticket(ticket["token"]).ticket.id) == ticket["id"]
    again = checkout(api, key)
    assert again.json()["reference"] == body["reference"]
    assert Order.objects.count() == 1 and SandboxCharge.objects.count() == 1
    assert api.call("get", "/orders").json()[0]["reference"] == body["reference"]
    assert api.call("get", "/tickets").json()[0]["id"] == ticket["id"]
    pdf = api.call("get", f"/tickets/{ticket['id']}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_checkout_errors(shopper, offers, make_user):
    _user, api = shopper
    empty = checkout(api)
    assert empty.status_code == 400 and empty.json()["code"] == "cart_empty"
    api.call("post", "/cart/items", {"offer_id": offers["solo"].pk, "quantity": 1})
    assert checkout(api, key="pas-un-uuid").json()["code"] == "invalid_idempotency_key"
    assert (
        api.call("post", "/checkout", {"card_number": "1", "expiry": "1", "cvv": "1"}).status_code
        == 400
    )
    bad_card = checkout(api, number="4242 4242 4242 4241")
    assert bad_card.status_code == 400 and bad_card.json()["code"] == "invalid_card"
    declined = checkout(api, number="4000 0000 0000 0002")
    assert declined.status_code == 402 and declined.json()["code"] == "card_declined"
    assert api.call("get", "/cart/items").json()["items"]  # the cart is kept


@pytest.mark.django_db
def test_no_one_reaches_another_users_tickets(shopper, offers, make_user):
    _user, api = shopper
    api.call("post", "/cart/items", {"offer_id": offers["solo"].pk, "quantity": 1})
    ticket = checkout(api).json()["tickets"][0]
    stranger = Api(token_for(make_user()))
    assert stranger.call("get", f"/tickets/{ticket['id']}/pdf").status_code == 404
    assert stranger.call("get", "/tickets").json() == []


@pytest.mark.django_db
def test_openapi_schema_lists_every_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    for path in (
        "/api/v1/auth/token",
        "/api/v1/offers",
        "/api/v1/offers/{offer_id}",
        "/api/v1/cart/items",
        "/api/v1/checkout",
        "/api/v1/orders",
        "/api/v1/tickets",
        "/api/v1/tickets/{ticket_id}/pdf",
        "/api/v1/gate/scan",
    ):
        assert path in paths, path


@pytest.mark.django_db
def test_tokens_are_listed_and_revoked_in_the_security_page(shopper):
    user, api = shopper
    web = Client()
    web.force_login(user)
    html = web.get("/compte/securite/").content.decode()
    record = ApiToken.objects.get()
    assert "Application mobile" in html and record.prefix in html
    web.post(f"/compte/securite/jetons/{record.pk}/revoquer/")
    assert api.call("get", "/cart/items").status_code == 401
    assert "Aucune application connectée." in web.get("/compte/securite/").content.decode()
