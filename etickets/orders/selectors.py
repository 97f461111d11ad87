import datetime

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone

from etickets.accounts.models import User
from etickets.tickets.models import REPLACED_STATES, Ticket

from .models import Order


def confirmations_may_wait() -> bool:
    """Whether the confirmation e-mails due may wait a little longer: a sales rush is on (at
    least CONFIRMATION_RUSH_ORDERS orders in the last CONFIRMATION_QUIET_SECONDS) and none of
    them has waited CONFIRMATION_MAX_DELAY_SECONDS yet. Steady sales below that rate get their
    e-mails within seconds."""
    window = datetime.timedelta(seconds=settings.CONFIRMATION_QUIET_SECONDS)
    if not window:
        return False
    now = timezone.now()
    rush = settings.CONFIRMATION_RUSH_ORDERS
    recent = Order.objects.filter(created_at__gt=now - window)[:rush].count()
    if recent < rush:
        return False
    oldest_due = (
        Order.objects.filter(confirmation_due=True)
        .order_by("id")  # the outbox's index
        .values_list("created_at", flat=True)
        .first()
    )
    longest = datetime.timedelta(seconds=settings.CONFIRMATION_MAX_DELAY_SECONDS)
    return oldest_due is None or oldest_due > now - longest


def orders_of(user: User) -> QuerySet[Order]:
    # The tickets its buyer holds, as its page shows them: not those given or resold.
    counted = ~Q(tickets__state__in=REPLACED_STATES) & Q(tickets__holder=F("user"))
    return Order.objects.filter(user=user).annotate(tickets_count=Count("tickets", filter=counted))


def _tickets_prefetch() -> Prefetch:
    # Only those the buyer holds: a ticket they transferred stays in their order, but its new
    # copy (and QR code) is the recipient's.
    tickets = Ticket.objects.select_related("event", "holder", "order", "order_line__offer")
    return Prefetch("tickets", queryset=tickets.filter(holder=F("order__user")))


def orders_with_tickets(user: User) -> QuerySet[Order]:
    """The user's orders, each with its tickets (and what describing them reads) prefetched."""
    return Order.objects.filter(user=user).prefetch_related(_tickets_prefetch())


def with_tickets(order: Order) -> Order:
    """The order with its tickets prefetched, unless they already are (a new order's are)."""
    if "tickets" not in getattr(order, "_prefetched_objects_cache", {}):
        prefetch_related_objects([order], _tickets_prefetch())
    return order


def order_for_owner(user: User, reference: str) -> Order:
    """The user's own order; anyone else's, like an unknown one, is a 404."""
    return get_object_or_404(
        Order.objects.select_related("payment").prefetch_related("lines__offer__event", "invoices"),
        user=user,
        reference=reference,
    )
