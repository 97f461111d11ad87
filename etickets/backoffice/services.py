"""Back-office writes: the catalogue, refunds and roles, each written to the audit log."""

import hashlib
from collections import Counter

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from etickets.catalog.models import Event, Offer
from etickets.catalog.selectors import free_seats
from etickets.catalog.services import busy_on_lock_timeout, lock_seat_pools
from etickets.core.emails import send_templated_email
from etickets.core.errors import DomainError
from etickets.gate.models import CONTROLLER_GROUP
from etickets.orders.models import Order, OrderStatus
from etickets.payments.models import PaymentStatus
from etickets.payments.providers import get_provider
from etickets.tickets.models import Ticket, TicketState

from .models import AuditAction, AuditEntry, describe


class CapacityTooLow(DomainError):
    message = ngettext_lazy(
        "La capacité ne peut pas être inférieure à la place déjà vendue ou réservée (%(count)s).",
        "La capacité ne peut pas être inférieure aux places déjà vendues ou réservées (%(count)s).",
        "count",
    )
    code = "capacity_too_low"


class OfferHasSales(DomainError):
    message = _("Cette offre a des ventes : elle ne peut pas être supprimée. Dépubliez-la.")
    code = "offer_has_sales"


class NothingToRefund(DomainError):
    message = _("Aucun billet remboursable : ils sont déjà annulés ou utilisés.")
    code = "nothing_to_refund"


class TicketAlreadyUsed(DomainError):
    message = _("Ce billet a déjà été utilisé à l'entrée : il ne peut pas être remboursé.")
    code = "ticket_used"


def record(actor, action, target, **details) -> AuditEntry:
    """Written in French for the record (``summary``); shown in each reader's language from
    ``details`` (``AuditEntry.description``)."""
    with translation.override("fr"):
        summary = describe(action, details)
    return AuditEntry.objects.create(
        actor=actor, action=action, target=str(target)[:200], summary=summary, details=details
    )


# --- Catalogue -------------------------------------------------------------------------------


def _unique_slug(model, base: str, exclude_pk=None) -> str:
    base = slugify(base)[:100] or "epreuve"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@busy_on_lock_timeout
@transaction.atomic
def save_event(event: Event, actor) -> Event:
    """Create or update an event. The capacity is checked inside the pool's lock, so that no
    hold or sale slips between the check and the write."""
    if event.pk is None:
        event.slug = _unique_slug(Event, event.title)
        event.save()
    else:
        pool = lock_seat_pools([event.pk])[event.pk]
        taken = pool.capacity - free_seats(pool)  # sold + live holds
        if event.capacity < taken:
            raise CapacityTooLow(count=taken)
        event.sold = pool.sold
        event.save()
    record(actor, AuditAction.EVENT_SAVED, event, title=event.title)
    return event


@transaction.atomic
def save_offer(offer: Offer, actor) -> Offer:
    if not offer.slug:
        offer.slug = _unique_slug(Offer, f"{offer.event.slug}-{offer.kind.lower()}")
    offer.save()
    record(
        actor,
        AuditAction.OFFER_SAVED,
        offer,
        title=offer.title,
        price_cents=offer.price_cents,
        published=offer.is_published,
    )
    return offer


@transaction.atomic
def delete_offer(offer: Offer, actor) -> None:
    if offer.order_lines.exists():
        raise OfferHasSales()
    title = offer.title
    offer.delete()
    record(actor, AuditAction.OFFER_DELETED, title, title=title)


# --- Refunds ---------------------------------------------------------------------------------


@transaction.atomic
def refund_tickets(order: Order, tickets, actor) -> int:
    """Cancel and refund these tickets of ``order`` (all of them for a whole order).

    The tickets become « Annulé » (the gate refuses them), their seats return to sale, the
    amount goes back to the card through the payment provider, the customer is told by e-mail.
    Returns the amount refunded, in cents.
    """
    order = Order.objects.select_for_update(of=("self",)).select_related("user").get(pk=order.pk)
    wanted = [ticket.pk for ticket in tickets]
    locked = list(
        Ticket.objects.select_for_update(of=("self",))
        .select_related("order_line__offer__event")
        .filter(order=order, pk__in=wanted, state=TicketState.VALID)
    )
    if any(ticket.used_at for ticket in locked):
        raise TicketAlreadyUsed()
    if not locked:
        raise NothingToRefund()
    amount = sum(ticket.order_line.unit_price_cents for ticket in locked)
    Ticket.objects.filter(pk__in=[t.pk for t in locked]).update(state=TicketState.CANCELLED)
    seats = Counter()
    for ticket in locked:
        seats[ticket.event_id] += ticket.persons
    for event_id, count in seats.items():  # giving seats back takes no pool lock
        Event.objects.filter(pk=event_id).update(sold=F("sold") - count)

    order.refunded_cents += amount
    everything = not order.tickets.filter(state=TicketState.VALID).exists()
    order.status = OrderStatus.REFUNDED if everything else OrderStatus.PARTIALLY_REFUNDED
    order.save(update_fields=["refunded_cents", "status"])
    payment = order.payment
    payment.status = PaymentStatus.REFUNDED if everything else PaymentStatus.PARTIALLY_REFUNDED
    payment.save(update_fields=["status", "updated_at"])

    ids = ",".join(sorted(str(t.pk) for t in locked))
    key = "refund-" + hashlib.sha256(f"{order.reference}:{ids}".encode()).hexdigest()[:40]
    # Last, so that a refusal by the provider rolls everything above back.
    get_provider().refund(payment.reference, amount_cents=amount, idempotency_key=key)
    record(
        actor,
        AuditAction.REFUND,
        order.reference,
        tickets=[str(t.pk) for t in locked],
        amount_cents=amount,
    )
    send_templated_email(
        "backoffice/emails/refund",
        to=order.user.email,
        context={
            "order": order,
            "tickets": locked,
            "amount_cents": amount,
            "everything": everything,
        },
        language=order.user.language,
    )
    return amount


# --- Roles -----------------------------------------------------------------------------------


class CannotDemoteYourself(DomainError):
    message = _("Vous ne pouvez pas retirer votre propre rôle d'administrateur.")
    code = "self_demotion"


@transaction.atomic
def set_role(user, role: str, granted: bool, actor) -> None:
    if role == "admin":
        if not granted and user == actor:
            raise CannotDemoteYourself()
        user.is_staff = user.is_superuser = granted
        user.save(update_fields=["is_staff", "is_superuser"])
    else:
        group, _created = Group.objects.get_or_create(name=CONTROLLER_GROUP)
        (user.groups.add if granted else user.groups.remove)(group)
    record(
        actor,
        AuditAction.ROLE_GRANTED if granted else AuditAction.ROLE_REVOKED,
        user.email,
        role=role,
        email=user.email,
    )
