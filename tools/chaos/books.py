"""The books after a sales rush that met faults: what must hold whatever failed, each with its
figure, read from the database (the shop's tables and the sandbox acquirer's ledger) and the
access log."""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Sum
from django.utils import timezone

from etickets.catalog.models import Event
from etickets.core.models import OutgoingEmail
from etickets.orders.models import Order
from etickets.payments.models import OrphanAuthorisation, Payment, PaymentStatus, SandboxCharge
from etickets.tickets.models import Ticket, TicketState


@dataclass(frozen=True)
class Invariant:
    name: str
    figure: str
    holds: bool

    def line(self) -> str:
        return f"{'ok  ' if self.holds else 'FAIL'}  {self.name}: {self.figure}"


def check(*, event_id: int, grace_seconds: int, access_log: Path | None) -> list[Invariant]:
    event = Event.objects.get(pk=event_id)
    on_tickets = (
        Ticket.objects.filter(event=event)
        .exclude(state=TicketState.CANCELLED)
        .aggregate(seats=Sum("persons"))["seats"]
        or 0
    )
    charges = SandboxCharge.objects.all()
    # Money taken: captured, then perhaps refunded in part or in full.
    taken = [PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED]
    captured = set(charges.filter(status__in=taken).values_list("reference", flat=True))
    paid = set(Payment.objects.values_list("reference", flat=True))  # one per order
    late = timezone.now() - datetime.timedelta(seconds=grace_seconds)
    hanging = charges.filter(status=PaymentStatus.AUTHORISED, created_at__lt=late).count()
    sold = Order.objects.filter(lines__offer__event=event).distinct()
    orders = sold.count()
    unconfirmed = sold.exclude(reference__in=_confirmed_references()).count()
    errors = _server_errors(access_log) if access_log else []
    return [
        Invariant(
            "sold ≤ capacity",
            f"{event.sold} ≤ {event.capacity}",
            event.sold <= event.capacity,
        ),
        Invariant(
            "seats sold = seats on tickets not cancelled",
            f"{event.sold} = {on_tickets}",
            event.sold == on_tickets,
        ),
        Invariant(
            "every captured charge has its order",
            f"{len(captured - paid)} of {len(captured)} without one",
            not captured - paid,
        ),
        Invariant(
            "every paid order has its capture",
            f"{len(paid - captured)} of {len(paid)} not captured",
            not paid - captured,
        ),
        Invariant(
            f"no authorisation older than {grace_seconds} s left",
            f"{hanging} left",
            hanging == 0,
        ),
        Invariant(
            "no 500 in the access log",
            f"{len(errors)}" + (f" ({', '.join(sorted(set(errors))[:5])})" if errors else ""),
            access_log is not None and not errors,
        ),
        Invariant(
            "every confirmation sent",
            f"{orders - unconfirmed} of {orders}",
            unconfirmed == 0,
        ),
    ]


def repairs() -> str:
    """What the stack mended by itself: the figures that show the faults did bite."""
    captures = Payment.objects.filter(attempts__gt=0).count()
    voided = OrphanAuthorisation.objects.filter(voided_at__isnull=False).count()
    # Sent by the sweep: their first try failed, or their job was lost.
    swept = OutgoingEmail.objects.exclude(attempts=1).count()
    return (
        f"captures retried by the reconciliation: {captures}; authorisations without an order "
        f"voided: {voided}; e-mails sent by the sweep: {swept}"
    )


def _confirmed_references() -> set[str]:
    """The orders whose confirmation left (its subject names the order)."""
    subjects = OutgoingEmail.objects.filter(sent_at__isnull=False).values_list("subject", flat=True)
    return {word for subject in subjects for word in subject.split() if word.startswith("JO24-")}


def _server_errors(access_log: Path) -> list[str]:
    """The paths answered with a 5xx other than 503 (« réessayez » is the answer we want)."""
    found = []
    for line in access_log.read_text(errors="replace").splitlines():
        if not line.startswith("{"):
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        status = record.get("status")
        if isinstance(status, int) and status >= 500 and status != 503:
            found.append(f"{record.get('method', '')} {record.get('path', '')} {status}".strip())
    return found
