"""/api/v1 for the mobile app and partners: the same services as the web pages."""

import datetime
import uuid

from django.contrib.auth import authenticate
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_otp import user_has_device
from ninja import Field, Header, Router, Schema, Status

from etickets.accounts import security
from etickets.cart import selectors as cart_selectors
from etickets.cart import services as cart
from etickets.cart.models import CartLine
from etickets.catalog import selectors as catalog
from etickets.catalog.models import OfferKind
from etickets.orders import selectors as orders
from etickets.orders.services import place_order
from etickets.payments.forms import CardForm
from etickets.payments.services import card_authoriser
from etickets.tickets import selectors as tickets
from etickets.tickets.pdf import tickets_pdf
from etickets.tickets.tokens import issue_token

from . import services as api_services
from .auth import BearerToken
from .errors import ApiError, RowId

customer = BearerToken(require_2fa=False)


# --- Authentication -------------------------------------------------------------------------

auth_router = Router(tags=["auth"])


class TokenIn(Schema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)
    otp: str | None = Field(default=None, max_length=20, description="6-digit or recovery code")
    name: str = Field(default="Application mobile", max_length=80)


class TokenOut(Schema):
    id: int
    token: str = Field(description="Send it as `Authorization: Bearer <token>`; shown once")
    name: str
    expires_at: datetime.datetime = Field(description="It stops working then (API_TOKEN_DAYS)")


class TokenInfo(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    expires_at: datetime.datetime


@auth_router.post("/token", response={201: TokenOut}, summary="Get an API token")
def create_token(request, payload: TokenIn):
    user = authenticate(request, email=payload.email, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        raise ApiError(429, "rate_limited", _("Trop de tentatives : réessayez dans 15 minutes."))
    if user is None or not user.is_active:
        raise ApiError(401, "invalid_credentials", _("Adresse email ou mot de passe incorrect."))
    if user_has_device(user):
        if not payload.otp:
            raise ApiError(401, "otp_required", _("Code de vérification à 6 chiffres requis."))
        # LockedOut (429) while locked, before the code is checked.
        if security.check_second_factor(request=request, user=user, code=payload.otp) is None:
            raise ApiError(401, "otp_invalid", _("Code incorrect ou déjà utilisé."))
    record, token = api_services.issue_token(user=user, name=payload.name)
    return Status(
        201,
        {"id": record.pk, "token": token, "name": record.name, "expires_at": record.expires_at},
    )


@auth_router.get("/tokens", response=list[TokenInfo], auth=customer, summary="My API tokens")
def list_tokens(request):
    return api_services.live_tokens(user=request.auth)


@auth_router.delete("/tokens/{token_id}", response={204: None}, auth=customer)
def revoke_token(request, token_id: RowId):
    if not api_services.revoke_token(user=request.auth, token_id=token_id):
        raise Http404
    return Status(204, None)


# --- Offers ---------------------------------------------------------------------------------

offers_router = Router(tags=["offers"])


ENGLISH = "In English, or in French where it has no translation"


class EventOut(Schema):
    id: int
    title: str = Field(description="In French")
    title_en: str = Field(description=ENGLISH)
    sport: str
    venue: str = Field(description="In French")
    venue_en: str = Field(description=ENGLISH)
    city: str = Field(description="In French")
    city_en: str = Field(description=ENGLISH)
    starts_at: datetime.datetime


class OfferOut(Schema):
    id: int
    slug: str
    title: str
    type: str = Field(description="solo, duo or familiale")
    persons: int
    price_cents: int
    max_per_order: int
    tickets_available: int
    event: EventOut


def describe_offer(offer) -> dict:
    event = offer.event
    return {
        "id": offer.pk,
        "slug": offer.slug,
        "title": offer.title,
        "type": offer.kind.lower(),
        "persons": offer.persons,
        "price_cents": offer.price_cents,
        "max_per_order": offer.limit_per_order,
        "tickets_available": offer.tickets_available,
        "event": describe_event(event),
    }


def describe_event(event) -> dict:
    texts = {
        f"{name}{suffix}": event.text(name, language=language)
        for name in ("title", "venue", "city")
        for suffix, language in (("", "fr"), ("_en", "en"))
    }
    return {"id": event.pk, "sport": event.sport, "starts_at": event.starts_at, **texts}


@offers_router.get("", response=list[OfferOut], summary="Offers on sale")
def list_offers(request, type: str | None = None):
    kind = None
    if type:
        if type.upper() not in OfferKind.values:
            raise ApiError(400, "invalid_type", _("Type inconnu : solo, duo ou familiale."))
        kind = OfferKind(type.upper())
    return [describe_offer(offer) for offer in catalog.upcoming_offers(kind)]


@offers_router.get("/{offer_id}", response=OfferOut, summary="One offer")
def get_offer(request, offer_id: RowId):
    offers = catalog.upcoming_offers()
    return describe_offer(get_object_or_404(offers, pk=offer_id))


# --- Cart -----------------------------------------------------------------------------------

cart_router = Router(tags=["cart"], auth=customer)


class ItemIn(Schema):
    offer_id: RowId
    quantity: int = Field(ge=1, le=999)


class QuantityIn(Schema):
    quantity: int = Field(ge=0, le=999)


class ItemOut(Schema):
    offer: OfferOut
    quantity: int
    unit_price_cents: int
    subtotal_cents: int


class ResaleItemOut(Schema):
    listing_id: int
    offer_id: int
    event: EventOut
    persons: int
    price_cents: int
    held_until: datetime.datetime = Field(description="Another buyer may take it after this")


class CartOut(Schema):
    items: list[ItemOut]
    resale_items: list[ResaleItemOut] = Field(description="Tickets of the official resale")
    total_cents: int
    held_until: datetime.datetime | None


def describe_cart(user, summary=None) -> dict:
    """The user's cart, or ``summary`` when the caller has it already (the offers'
    availability included)."""
    summary = summary or cart_selectors.cart_summary(user)
    return {
        "items": [
            {
                "offer": describe_offer(line.offer),
                "quantity": line.quantity,
                "unit_price_cents": line.offer.price_cents,
                "subtotal_cents": line.subtotal_cents,
            }
            for line in summary.lines
        ],
        "resale_items": [
            {
                "listing_id": line.listing_id,
                "offer_id": line.listing.offer_id,
                "event": describe_event(line.listing.offer.event),
                "persons": line.persons,
                "price_cents": line.price_cents,
                "held_until": line.held_until,
            }
            for line in summary.resale_lines
        ],
        "total_cents": summary.total_cents,
        "held_until": summary.expires_at,
    }


def _offer_in_sale(offer_id):
    offer = catalog.offer_on_sale(offer_id)
    if offer is None:
        raise Http404
    return offer


@cart_router.get("/items", response=CartOut, summary="My cart")
def get_cart(request):
    if cart_selectors.cart_summary(request.auth).expired:
        cart.renew_expired_holds(request.auth)
    return describe_cart(request.auth)


# A sale behind a queue (/events/{id}/queue) asks for the buyer's admission pass.
QueuePass = Header(
    default=None,
    alias="X-Queue-Pass",
    description="Admission passes for sales behind a queue, comma-separated",
)


def _passes(header: str | None) -> list[str]:
    return [token.strip() for token in (header or "").split(",") if token.strip()]


@cart_router.post("/items", response={201: CartOut}, summary="Add tickets to my cart")
def add_item(request, payload: ItemIn, queue_pass: str | None = QueuePass):
    held = cart.add_to_cart(
        request.auth,
        offer=_offer_in_sale(payload.offer_id),
        quantity=payload.quantity,
        passes=_passes(queue_pass),
    )
    resale = cart_selectors.resale_lines(user_id=request.auth.pk)
    return Status(201, describe_cart(request.auth, cart_selectors.summarise(held.lines, resale)))


@cart_router.patch("/items/{offer_id}", response=CartOut, summary="Change a quantity (0 removes)")
def change_item(request, offer_id: RowId, payload: QuantityIn, queue_pass: str | None = QueuePass):
    line = get_object_or_404(
        CartLine.objects.select_related("offer__event"), cart__user=request.auth, offer_id=offer_id
    )
    cart.set_quantity(
        request.auth, offer=line.offer, quantity=payload.quantity, passes=_passes(queue_pass)
    )
    return describe_cart(request.auth)


@cart_router.delete("/items/{offer_id}", response=CartOut, summary="Remove a line")
def remove_item(request, offer_id: RowId):
    line = get_object_or_404(CartLine, cart__user=request.auth, offer_id=offer_id)
    cart.remove_line(request.auth, offer=line.offer)
    return describe_cart(request.auth)


@cart_router.delete("/items", response=CartOut, summary="Empty my cart")
def clear(request):
    cart.clear_cart(request.auth)
    return describe_cart(request.auth)


# --- Checkout, orders and tickets -----------------------------------------------------------

orders_router = Router(tags=["orders"], auth=customer)


class CheckoutIn(Schema):
    card_number: str = Field(max_length=30)
    expiry: str = Field(max_length=7, description="MM/YY")
    cvv: str = Field(max_length=4)


class TicketOut(Schema):
    id: uuid.UUID
    token: str = Field(
        description=(
            "The static QR code's content, as printed on the PDF. Where the event's codes "
            "rotate (its ticket page shows a code that changes every 15 s), the gates take "
            "this one as a printed ticket, after an identity check"
        )
    )
    event: EventOut
    type: str
    persons: int
    status: str = Field(description="valid, used, cancelled, listed, transferred or resold")
    used_at: datetime.datetime | None


class OrderOut(Schema):
    reference: str
    created_at: datetime.datetime
    status: str
    total_cents: int
    refunded_cents: int
    tickets: list[TicketOut]


def describe_ticket(ticket) -> dict:
    event = ticket.event
    return {
        "id": ticket.id,
        "token": issue_token(ticket),
        "event": describe_event(event),
        "type": ticket.order_line.offer.kind.lower(),
        "persons": ticket.persons,
        "status": ticket.status_code,
        "used_at": ticket.used_at,
    }


def describe_order(order) -> dict:
    return {
        "reference": order.reference,
        "created_at": order.created_at,
        "status": order.status,
        "total_cents": order.total_cents,
        "refunded_cents": order.refunded_cents,
        "tickets": [describe_ticket(ticket) for ticket in order.tickets.all()],
    }


@orders_router.post("/checkout", response={201: OrderOut}, summary="Pay for my cart")
def checkout(
    request,
    payload: CheckoutIn,
    idempotency_key: str = Header(..., alias="Idempotency-Key"),
    queue_pass: str | None = QueuePass,
):
    try:
        key = uuid.UUID(idempotency_key)
    except ValueError as error:
        raise ApiError(
            400, "invalid_idempotency_key", _("Idempotency-Key doit être un UUID.")
        ) from error
    form = CardForm(
        {
            "idempotency_key": str(key),
            "number": payload.card_number,
            "expiry": payload.expiry,
            "cvv": payload.cvv,
        }
    )
    if not form.is_valid():
        errors = [
            {"field": field, "message": str(messages[0])} for field, messages in form.errors.items()
        ]
        raise ApiError(400, "invalid_card", str(errors[0]["message"]))
    order = place_order(
        user=request.auth,
        idempotency_key=key,
        authorise=card_authoriser(form.card(), idempotency_key=str(key)),
        passes=_passes(queue_pass),
    )
    return Status(201, describe_order(orders.with_tickets(order)))


@orders_router.get("/orders", response=list[OrderOut], summary="My orders")
def list_orders(request):
    return [describe_order(order) for order in orders.orders_with_tickets(request.auth)]


@orders_router.get("/tickets", response=list[TicketOut], summary="My tickets")
def list_tickets(request):
    return [describe_ticket(ticket) for ticket in tickets.tickets_of(request.auth)]


@orders_router.get("/tickets/{ticket_id}/pdf", summary="One ticket as PDF")
def ticket_pdf(request, ticket_id: uuid.UUID):
    ticket = tickets.ticket_for_owner(request.auth, ticket_id=ticket_id)
    response = HttpResponse(tickets_pdf([ticket], get_language()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="billet-{ticket.number}.pdf"'
    return response
