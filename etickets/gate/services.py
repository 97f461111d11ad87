"""Letting tickets in: each one exactly once, whatever the number of gates scanning it."""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from etickets.catalog.models import Event
from etickets.catalog.selectors import event_by_id
from etickets.core import sql
from etickets.core.errors import DomainError
from etickets.tickets.errors import REASONS, TicketRefused
from etickets.tickets.models import Ticket, TicketState
from etickets.tickets.services import check_ticket
from etickets.tickets.signing import public_key_raw
from etickets.tickets.tokens import key_digest

from .models import CONTROLLER_GROUP, Scan, Verdict

# An offline device's clock is trusted for the time of entry, within this much of the server's.
MAX_CLOCK_SKEW = datetime.timedelta(minutes=5)


def may_scan(user) -> bool:
    """Controllers and administrators; the second factor is checked by the page or the API."""
    if not user.is_active:
        return False
    # all(): an API token's cached user comes with its groups (api.auth.token_identity).
    return user.is_staff or any(group.name == CONTROLLER_GROUP for group in user.groups.all())


@dataclass(frozen=True)
class Outcome:
    verdict: str  # a Verdict value
    reason: str  # "" when valid, else a key of tickets.errors.REASONS
    ticket: Ticket | None
    scan: Scan

    @property
    def message(self) -> str:
        return str(REASONS.get(self.reason, "")) if self.reason else ""


def _entry_time(scanned_at: datetime.datetime | None, now: datetime.datetime) -> datetime.datetime:
    """When the holder went in: the offline device's time, unless it claims the future."""
    if scanned_at is None or scanned_at > now + MAX_CLOCK_SKEW:
        return now
    return min(scanned_at, now)


class UnknownEvent(DomainError):
    message = _("Épreuve introuvable.")
    code = "not_found"


def redeem_ticket(
    token: str,
    *,
    event: Event | int,
    gate: str,
    controller,
    scanned_at: datetime.datetime | None = None,
    offline: bool = False,
    device: str = "",
) -> Outcome:
    """Check a QR code at a gate of ``event`` and, if it may enter, mark it used.

    The mark is one conditional UPDATE (``used_at IS NULL AND state = valid``): of any number of
    simultaneous scans of one ticket, exactly one changes a row and says « VALIDE ». Every scan is
    logged, in the same transaction as the mark. A scan made offline that arrives after the
    ticket entered elsewhere is a conflict.

    ``event`` may be given by its id (the API's scans): a ticket of that event comes with it,
    and it is read only for other tickets; UnknownEvent if there is no such event.
    """
    now = timezone.now()
    entry = _entry_time(scanned_at, now)
    event_id = getattr(event, "pk", event)
    ticket, reason = None, ""
    try:
        ticket = check_ticket(token, event_id=event_id)
    except TicketRefused as refusal:
        ticket, reason = refusal.ticket, refusal.reason
    if ticket is not None and ticket.event_id == event_id:
        event = ticket.event
    elif not isinstance(event, Event):
        event = event_by_id(event_id)
        if event is None:
            raise UnknownEvent()
    scan = Scan(
        event=event,
        ticket=ticket,
        verdict=_verdict(reason, offline),
        reason=reason,
        controller=controller,
        gate=gate,
        scanned_at=entry,
        offline=offline,
        device=device,
    )
    if reason:
        sql.insert([scan])
    elif _admit(ticket, scan):
        ticket.used_at, ticket.used_gate, ticket.used_by = entry, gate, controller
    else:  # another gate was faster: show when and where it entered
        reason = scan.reason
        ticket.refresh_from_db(fields=["used_at", "used_gate", "used_by", "state"])
    return Outcome(scan.verdict, reason, ticket, scan)


def _verdict(reason: str, offline: bool) -> str:
    if not reason:
        return Verdict.VALID
    if reason == "already_used":
        return Verdict.CONFLICT if offline else Verdict.ALREADY_USED
    return Verdict.INVALID


_MARK_USED = (
    "UPDATE tickets_ticket SET used_at = %s, used_gate = %s, used_by_id = %s "
    "WHERE id = %s AND used_at IS NULL AND state = %s"
)


def _admit(ticket: Ticket, scan: Scan) -> bool:
    """Mark the ticket used unless another scan was faster, and log ``scan`` with the verdict
    it then gets (« already used » if it lost the race); whether it won. On PostgreSQL one
    statement, atomic on its own (rather than BEGIN, two writes and COMMIT)."""
    mark = [scan.scanned_at, scan.gate, scan.controller.pk, ticket.pk, TicketState.VALID]
    lost = _verdict("already_used", scan.offline)
    if connection.vendor != "postgresql":
        with transaction.atomic():
            admitted = bool(sql.execute(_MARK_USED, mark))
            if not admitted:
                scan.verdict, scan.reason = lost, "already_used"
            sql.insert([scan])
        return admitted
    outcome = {
        "verdict": lambda _scan: (
            "CASE WHEN EXISTS (SELECT 1 FROM u) THEN %s ELSE %s END",
            [Verdict.VALID, lost],
        ),
        "reason": lambda _scan: (
            "CASE WHEN EXISTS (SELECT 1 FROM u) THEN '' ELSE %s END",
            ["already_used"],
        ),
    }
    log, params = sql.insert_select([scan], outcome)
    scan.pk, scan.verdict, scan.reason = sql.row(
        f"WITH u AS ({_MARK_USED} RETURNING id) {log} RETURNING id, verdict, reason",
        [*mark, *params],
    )
    sql.mark_saved([scan])
    return scan.verdict == Verdict.VALID


def offline_bundle(event: Event) -> dict:
    """What a scanner needs to keep checking tickets of ``event`` without network: the public
    key, and each ticket's id, key digest and state."""
    tickets = Ticket.objects.filter(event=event).select_related(
        "holder", "order", "order_line__offer"
    )
    return {
        "event": event.pk,
        "public_key": public_key_raw(),
        "generated_at": timezone.now().isoformat(),
        "tickets": [
            {
                "id": str(ticket.id),
                "digest": key_digest(ticket).hex(),
                "state": ticket.status_code,
                "persons": ticket.persons,
                "holder": f"{ticket.holder.first_name} {ticket.holder.last_name}",
                "kind": ticket.order_line.offer.get_kind_display(),
                "used_at": ticket.used_at.isoformat() if ticket.used_at else None,
                "used_gate": ticket.used_gate,
            }
            for ticket in tickets
        ],
    }
