"""Back-office writes: the catalogue, waiting rooms, refunds and roles, each written to the
audit log."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from etickets.accounts.models import User
from etickets.catalog.models import Event, Offer
from etickets.core.errors import DomainError
from etickets.gate.models import CONTROLLER_GROUP
from etickets.inventory import services as pool
from etickets.inventory.services import busy_on_lock_timeout
from etickets.orders import services as orders
from etickets.orders.models import Order
from etickets.orders.services import Refunded
from etickets.tickets.models import Ticket
from etickets.waitingroom import services as waitingroom
from etickets.waitingroom.models import QueueConfig
from etickets.waitlist import services as waitlist

from .models import AuditAction, AuditEntry, describe


class OfferHasSales(DomainError):
    message = _("Cette offre a des ventes : elle ne peut pas être supprimée. Dépubliez-la.")
    code = "offer_has_sales"


def record(actor: User, action: str, target: object, **details: Any) -> AuditEntry:
    """Written in French for the record (``summary``); shown in each reader's language from
    ``details`` (``AuditEntry.description``)."""
    with translation.override("fr"):
        summary, target_name = describe(action, details), str(target)
    return AuditEntry.objects.create(
        actor=actor, action=action, target=target_name[:200], summary=summary, details=details
    )


# --- Catalogue -------------------------------------------------------------------------------


def _unique_slug(model: type[Event] | type[Offer], base: str, exclude_pk: int | None = None) -> str:
    base = slugify(base)[:100] or "epreuve"
    slug, n = base, 2
    others = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@busy_on_lock_timeout
@transaction.atomic
def save_event(event: Event, *, actor: User) -> Event:
    """Create or update an event. The capacity is checked inside the pool's lock, so that no
    hold or sale slips between the check and the write."""
    if event.pk is None:
        event.slug = _unique_slug(Event, event.title_fr)
        event.save()
    else:
        event.sold = pool.check_capacity(event=event).sold
        event.save()
    record(actor, AuditAction.EVENT_SAVED, event, title=event.title_fr)
    return event


@transaction.atomic
def save_offer(offer: Offer, *, actor: User) -> Offer:
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
@transaction.atomic
def delete_offer(offer: Offer, *, actor: User) -> None:
    if offer.order_lines.exists():
        raise OfferHasSales()
    title = offer.title
    waitlist.forget_offer(offer=offer)  # its list goes with it
    offer.delete()
    record(actor, AuditAction.OFFER_DELETED, title, title=title)


# --- Waiting rooms -------------------------------------------------------------------------


class NoQueue(DomainError):
    message = _("Cette épreuve n'a pas de file d'attente : activez-la d'abord.")
    code = "no_queue"


@transaction.atomic
def configure_queue(
    *,
    event: Event,
    opens_at: datetime.datetime,
    admission_rate: int,
    enabled: bool,
    actor: User,
) -> QueueConfig:
    """Turn the event's waiting room on or off (``waitingroom.services.configure_queue``)."""
    config = waitingroom.configure_queue(
        event=event, opens_at=opens_at, admission_rate=admission_rate, enabled=enabled
    )
    record(
        actor,
        AuditAction.QUEUE_CONFIGURED,
        event,
        title=event.title_fr,
        enabled=enabled,
        opens_at=opens_at.isoformat(),
        rate=admission_rate,
    )
    return config


def _require_queue(event: Event) -> None:
    if not QueueConfig.objects.filter(event=event).exists():
        raise NoQueue()


@transaction.atomic
def set_queue_paused(*, event: Event, paused: bool, actor: User) -> None:
    """Suspend or resume the admissions of the event's waiting room."""
    _require_queue(event)
    waitingroom.set_paused(event=event, paused=paused)
    action = AuditAction.QUEUE_PAUSED if paused else AuditAction.QUEUE_RESUMED
    record(actor, action, event, title=event.title_fr)


@transaction.atomic
def set_queue_rate(*, event: Event, admission_rate: int, actor: User) -> None:
    _require_queue(event)
    waitingroom.set_rate(event=event, admission_rate=admission_rate)
    record(actor, AuditAction.QUEUE_RATE, event, title=event.title_fr, rate=admission_rate)


# --- Refunds ---------------------------------------------------------------------------------


@transaction.atomic
def refund_tickets(*, order: Order, tickets: Iterable[Ticket], actor: User) -> Refunded:
    """Refund these tickets (``orders.services.refund_tickets``), in the audit log."""
    refunded = orders.refund_tickets(order=order, tickets=tickets)
    record(
        actor,
        AuditAction.REFUND,
        order.reference,
        tickets=[str(t.pk) for t in refunded.tickets],
        amount_cents=refunded.amount_cents,
    )
    return refunded


# --- Roles -----------------------------------------------------------------------------------


class CannotDemoteYourself(DomainError):
    message = _("Vous ne pouvez pas retirer votre propre rôle d'administrateur.")
    code = "self_demotion"


@transaction.atomic
def set_role(user: User, *, role: str, granted: bool, actor: User) -> None:
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
