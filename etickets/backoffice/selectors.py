"""Back-office reads. Every figure is aggregated by the database: the number of queries does
not grow with the number of orders."""

import datetime
import uuid
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypedDict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.expressions import BaseExpression
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from etickets.accounts.models import User
from etickets.catalog.models import Event, Offer
from etickets.gate.models import CONTROLLER_GROUP, Scan
from etickets.inventory.selectors import free_seats_expression, held_seats_expression
from etickets.orders.models import Order, OrderLine
from etickets.payments.models import (
    OrphanAuthorisation,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from etickets.support.models import ContactMessage, ProblemReport, ReportStatus
from etickets.tickets.models import Ticket, TicketState

from .models import AuditEntry

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class SalesFilter:
    sport: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def order_date_lookups(self, prefix: str) -> dict[str, datetime.datetime]:
        """Orders placed within the chosen days (Paris time), as lookups on ``prefix``."""
        lookups = {}
        if self.date_from:
            start = datetime.datetime.combine(self.date_from, datetime.time.min, PARIS)
            lookups[f"{prefix}created_at__gte"] = start
        if self.date_to:
            end = datetime.datetime.combine(
                self.date_to + datetime.timedelta(days=1), datetime.time.min, PARIS
            )
            lookups[f"{prefix}created_at__lt"] = end
        return lookups

    def order_dates(self, prefix: str) -> Q:
        return Q(**self.order_date_lookups(prefix))

    def events(self) -> Q:
        return Q(sport=self.sport) if self.sport else Q()


def _sum(expression: BaseExpression) -> Coalesce:
    return Coalesce(expression, Value(0), output_field=IntegerField())


# The tickets whose price went back to the card that paid them: refunded (cancelled), or
# resold on the official resale, whose new ticket is sold again in its buyer's order (so that
# a seat resold counts once, and its revenue once plus the resale's fee — with the default fee
# of 0 %, exactly; above it, the fee is left out).
MONEY_BACK = (TicketState.CANCELLED, TicketState.RESOLD)


@dataclass(frozen=True)
class OfferSales:
    offer: Offer
    orders: int
    tickets: int  # sold, refunded ones included
    refunded_tickets: int
    revenue_cents: int  # net of refunds

    @property
    def net_tickets(self) -> int:
        return self.tickets - self.refunded_tickets


def sales_by_offer(filters: SalesFilter) -> list[OfferSales]:
    """Per offer: orders, tickets sold, tickets refunded, revenue net of refunds. Two queries:
    sales grouped by offer, then refunds grouped by offer (kept apart: correlated subqueries
    in a grouped query make SQLite rescan the order lines for every one of them)."""
    in_period = filters.order_dates("order_lines__order__")
    offers = list(
        Offer.objects.filter(event__in=Event.objects.filter(filters.events()))
        .select_related("event")
        .annotate(
            orders=Count("order_lines__order", distinct=True, filter=in_period),
            tickets=_sum(Sum("order_lines__quantity", filter=in_period)),
            gross_cents=_sum(
                Sum(
                    F("order_lines__quantity") * F("order_lines__unit_price_cents"),
                    filter=in_period,
                )
            ),
        )
        .order_by("event__starts_at", "event_id", "price_cents")
    )
    refunds = {
        row["order_line__offer"]: row
        for row in Ticket.objects.filter(
            state__in=MONEY_BACK,
            order_line__offer__in=[offer.pk for offer in offers],
            **filters.order_date_lookups("order__"),
        )
        .values("order_line__offer")
        .annotate(count=Count("id"), cents=Sum("order_line__unit_price_cents"))
        .order_by()
    }
    no_refund = {"count": 0, "cents": 0}
    return [
        OfferSales(
            offer=offer,
            orders=offer.orders,
            tickets=offer.tickets,
            refunded_tickets=refunds.get(offer.pk, no_refund)["count"],
            revenue_cents=offer.gross_cents - refunds.get(offer.pk, no_refund)["cents"],
        )
        for offer in offers
    ]


def seats_by_event(filters: SalesFilter) -> QuerySet[Event]:
    """Per event: capacity, seats sold, held by live carts, free. One query."""
    return (
        Event.objects.filter(filters.events())
        .annotate(held=_sum(held_seats_expression()), free=free_seats_expression())
        .order_by("starts_at", "id")
    )


def sales_totals(filters: SalesFilter) -> dict[str, int]:
    """Orders (each counted once), tickets and revenue net of refunds. Two queries."""
    lines = OrderLine.objects.filter(filters.order_dates("order__"))
    refunds = Ticket.objects.filter(state__in=MONEY_BACK, **filters.order_date_lookups("order__"))
    if filters.sport:
        lines = lines.filter(offer__event__sport=filters.sport)
        refunds = refunds.filter(event__sport=filters.sport)
    sold = lines.aggregate(
        orders=Count("order", distinct=True),
        tickets=_sum(Sum("quantity")),
        gross_cents=_sum(Sum(F("quantity") * F("unit_price_cents"))),
    )
    refunded = refunds.aggregate(
        tickets=Count("id"), cents=_sum(Sum("order_line__unit_price_cents"))
    )
    return {
        "orders": sold["orders"],
        "tickets": sold["tickets"] - refunded["tickets"],
        "revenue_cents": sold["gross_cents"] - refunded["cents"],
    }


class DaySales(TypedDict):
    day: datetime.date
    tickets: int
    revenue_cents: int


def sales_over_time(filters: SalesFilter) -> list[DaySales]:
    """Per day (Paris time): tickets sold and revenue. One query."""
    lines = OrderLine.objects.filter(filters.order_dates("order__"))
    if filters.sport:
        lines = lines.filter(offer__event__sport=filters.sport)
    days = (
        lines.annotate(day=TruncDate("order__created_at", tzinfo=PARIS))
        .values("day")
        .annotate(sold=Sum("quantity"), revenue_cents=Sum(F("quantity") * F("unit_price_cents")))
        .order_by("day")
    )
    return [
        DaySales(day=day["day"], tickets=day["sold"], revenue_cents=day["revenue_cents"])
        for day in days
    ]


def search_orders(query: str) -> QuerySet[Order]:
    orders = Order.objects.select_related("user", "payment").annotate(
        tickets_count=Count("tickets")
    )
    query = query.strip()
    if query:
        orders = orders.filter(
            Q(reference__iexact=query)
            | Q(reference__icontains=query)
            | Q(user__email__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
        )
    return orders.order_by("-created_at")


def order_for_desk(reference: str) -> Order:
    return get_object_or_404(
        Order.objects.select_related("user", "payment").prefetch_related(
            "lines__offer__event",
            "tickets__scans__controller",
            "tickets__order_line__offer",
            "tickets__holder",
            "tickets__transfers",
            "invoices",
        ),
        reference=reference,
    )


def order_to_refund(
    *, reference: str, ticket_id: uuid.UUID | None = None
) -> tuple[Order, list[Ticket]]:
    """An order with its payment and customer, and the tickets a refund is asked for: all of
    its own, or the one ``ticket_id`` (a 404 if it is another order's), each with its order
    line, offer and event."""
    order = get_object_or_404(Order.objects.select_related("user", "payment"), reference=reference)
    tickets = Ticket.objects.filter(order=order).select_related("order_line__offer__event")
    if ticket_id is not None:
        tickets = tickets.filter(pk=ticket_id)
    found = list(tickets.order_by("created_at", "id"))
    if not found:
        raise Http404
    return order, found


def orders_for_export(filters: SalesFilter) -> Iterator[tuple[Any, ...]]:
    """Rows of the orders CSV, streamed from the database."""
    orders = Order.objects.filter(filters.order_dates(""))
    if filters.sport:
        orders = orders.filter(lines__offer__event__sport=filters.sport).distinct()
    return (
        orders.annotate(tickets_count=Sum("lines__quantity"))
        .values_list(
            "reference",
            "created_at",
            "user__email",
            "user__first_name",
            "user__last_name",
            "tickets_count",
            "total_cents",
            "refunded_cents",
            "status",
            "payment__brand",
            "payment__last4",
            "payment__reference",
        )
        .order_by("created_at")
        .iterator(chunk_size=2000)
    )


def recent_scans(*, event_id: int | None = None, verdict: str = "") -> QuerySet[Scan]:
    scans = Scan.objects.select_related("event", "ticket__holder", "controller")
    if event_id:
        scans = scans.filter(event_id=event_id)
    if verdict:
        scans = scans.filter(verdict=verdict)
    return scans.order_by("-scanned_at", "-id")


def staff_members(query: str) -> QuerySet[User]:
    """Accounts matching ``query``; without one, those who hold a staff role now."""
    user_model = get_user_model()
    controllers = user_model.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name=CONTROLLER_GROUP
    )
    users = user_model.objects.annotate(is_controller=Exists(controllers)).order_by(
        "last_name", "first_name"
    )
    if not query:
        return users.filter(Q(is_staff=True) | Q(is_controller=True))
    return users.filter(
        Q(email__icontains=query)
        | Q(first_name__icontains=query)
        | Q(last_name__icontains=query)
        | Q(username__icontains=query)
    )


def problem_reports(status: str = "") -> QuerySet[ProblemReport]:
    reports = ProblemReport.objects.select_related("user").prefetch_related("screenshots")
    return reports.filter(status=status) if status in ReportStatus.values else reports


def problem_report(reference: str) -> ProblemReport:
    return get_object_or_404(
        ProblemReport.objects.select_related("user").prefetch_related(
            "screenshots", "replies__author"
        ),
        reference=reference,
    )


def recent_contact_messages(limit: int = 50) -> QuerySet[ContactMessage]:
    return ContactMessage.objects.all()[:limit]


def audit_entries(target: str | None = None) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("actor")
    return entries.filter(target=target) if target is not None else entries


@dataclass(frozen=True)
class PendingCall:
    """A capture or a refund the provider has not accepted yet."""

    order_reference: str
    amount_cents: int
    since: datetime.datetime
    attempts: int
    last_error: str
    late: bool  # pending for longer than PAYMENT_ALERT_MINUTES: an anomaly


@dataclass(frozen=True)
class PendingCalls:
    shown: list[PendingCall]  # the oldest first
    total: int
    late: int


@dataclass(frozen=True)
class Reconciliation:
    """What the payments' reconciliation has in hand (``payments.services.reconcile_payments``)."""

    captures: PendingCalls  # orders paid whose money the provider has not taken yet
    refunds: PendingCalls  # refunds the provider has not accepted yet
    orphans: list[OrphanAuthorisation]  # authorisations without an order still to void
    voided: list[OrphanAuthorisation]  # the latest voided
    late_orphans: int
    alert_minutes: int
    alert_since: datetime.datetime

    @property
    def anomalies(self) -> int:
        return self.captures.late + self.refunds.late + self.late_orphans


def reconciliation(*, shown: int = 100) -> Reconciliation:
    """The pending calls (at most ``shown`` of each kind, with their counts) and the latest
    voided orphans: a fixed number of queries, whatever the number of orders."""
    since = timezone.now() - datetime.timedelta(minutes=settings.PAYMENT_ALERT_MINUTES)

    def pending(rows: QuerySet[Any], reference: str) -> PendingCalls:
        counts = rows.aggregate(total=Count("pk"), late=Count("pk", filter=Q(created_at__lt=since)))
        return PendingCalls(
            shown=[
                PendingCall(
                    order_reference=row[reference],
                    amount_cents=row["amount_cents"],
                    since=row["created_at"],
                    attempts=row["attempts"],
                    last_error=row["last_error"],
                    late=row["created_at"] < since,
                )
                for row in rows.order_by("created_at").values(
                    reference, "amount_cents", "created_at", "attempts", "last_error"
                )[:shown]
            ],
            total=counts["total"],
            late=counts["late"],
        )

    orphans = list(
        OrphanAuthorisation.objects.filter(voided_at__isnull=True).order_by("created_at")
    )
    return Reconciliation(
        captures=pending(
            Payment.objects.filter(status=PaymentStatus.AUTHORISED), "order__reference"
        ),
        refunds=pending(
            Refund.objects.filter(status=RefundStatus.PENDING), "payment__order__reference"
        ),
        orphans=orphans,
        voided=list(
            OrphanAuthorisation.objects.filter(voided_at__isnull=False).order_by("-voided_at")[
                :shown
            ]
        ),
        late_orphans=sum(orphan.created_at < since for orphan in orphans),
        alert_minutes=settings.PAYMENT_ALERT_MINUTES,
        alert_since=since,
    )
