"""/api/v1/gate: what scanners at the venue entrances call."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from etickets.catalog.models import Event
from etickets.gate import services

from .auth import BearerToken, VerifiedSession
from .errors import RowId

# Scanning devices send a token: checked first (a request without one passes on at once).
router = Router(
    auth=[BearerToken(services.may_scan), VerifiedSession(services.may_scan)], tags=["gate"]
)


CODE_DESCRIPTION = (
    "The QR code's content, or the ticket's number printed under it (12 characters, any "
    "case, spaces and dashes ignored)"
)
IDENTITY_DESCRIPTION = (
    "With a ticket number: the steward has checked the holder's identity document. Without "
    "it, a number that may enter answers check_identity and is neither marked nor recorded."
)


class ScanIn(Schema):
    token: str = Field(max_length=300, description=CODE_DESCRIPTION)
    event_id: RowId = Field(description="The event this gate admits to")
    gate: str = Field(min_length=1, max_length=60, description="The gate's name")
    identity_checked: bool = Field(default=False, description=IDENTITY_DESCRIPTION)


class TicketOut(Schema):
    number: str
    holder: str
    kind: str
    persons: int
    event: str


class VerdictOut(Schema):
    verdict: str = Field(description="valid, already_used, invalid, conflict or check_identity")
    label: str = Field(description="VALIDE, DÉJÀ UTILISÉ, INVALIDE, CONFLIT or VÉRIFIEZ L'IDENTITÉ")
    reason: str = Field(description="Why it may not enter; empty when valid")
    message: str
    ticket: TicketOut | None
    used_at: datetime.datetime | None
    used_gate: str
    by_number: bool = Field(description="The ticket's number was sent, not its QR code")
    scan: int | None = Field(description="The scan recorded; none for check_identity")


class OfflineScanIn(Schema):
    token: str = Field(max_length=300, description=CODE_DESCRIPTION)
    identity_checked: bool = Field(default=False, description=IDENTITY_DESCRIPTION)
    # Text, not a datetime: an unreadable time refuses that scan only, not the whole batch.
    scanned_at: str = Field(
        max_length=64,
        description=(
            "When the device scanned it: ISO 8601 with its UTC offset (e.g. "
            "2024-07-27T14:03:12+02:00). Refused (that scan only) without an offset, or "
            "outside the bundle's making to now, give or take GATE_CLOCK_SKEW (5 minutes)."
        ),
    )


class SyncIn(Schema):
    event_id: RowId
    gate: str = Field(min_length=1, max_length=60)
    device: str = Field(default="", max_length=64)
    bundle: str = Field(
        max_length=200,
        description="The `stamp` of the offline bundle the scans were checked with",
    )
    scans: list[OfflineScanIn] = Field(max_length=5000)


class ScanErrorOut(Schema):
    code: str = Field(description="bad_scan_time: the scan was not recorded")
    message: str


class BundleTicket(Schema):
    id: str
    number: str = Field(description="Printed on the ticket: what a steward types")
    digest: str
    state: str
    persons: int
    holder: str
    kind: str
    used_at: datetime.datetime | None
    used_gate: str


class BundleOut(Schema):
    event: int
    public_key: str = Field(description="Ed25519 public key, base64 of its 32 raw bytes")
    generated_at: datetime.datetime
    stamp: str = Field(
        description="Signed by the server: send it back with the scans made offline (/sync)"
    )
    tickets: list[BundleTicket]


def describe(outcome: services.Outcome) -> dict:
    ticket = outcome.ticket
    return {
        "verdict": outcome.verdict,
        "label": outcome.label,
        "reason": outcome.reason,
        "message": outcome.message,
        "ticket": {
            "number": ticket.number,
            "holder": f"{ticket.holder.first_name} {ticket.holder.last_name}",
            "kind": ticket.order_line.offer.get_kind_display(),
            "persons": ticket.persons,
            "event": ticket.event.title,
        }
        if ticket is not None
        else None,
        "used_at": ticket.used_at if ticket is not None else None,
        "used_gate": ticket.used_gate if ticket is not None else "",
        "by_number": outcome.by_number,
        "scan": outcome.scan.pk if outcome.scan is not None else None,
    }


@router.post(
    "/scan",
    response=VerdictOut,
    summary="Scan a ticket at a gate",
    description=(
        "A QR code, or a ticket's number: only the event's tickets are found by number, and "
        "one that may enter answers check_identity until it is sent again with "
        "identity_checked. 429 too_many_numbers past GATE_NUMBER_RATE_LIMIT numbers a "
        "minute for one controller."
    ),
    url_name="scan",
)
def scan(request, payload: ScanIn):
    # The event by its id: a ticket of that event is read with it (one statement less a scan).
    outcome = services.redeem_ticket(
        payload.token,
        event=payload.event_id,
        gate=payload.gate,
        controller=request.auth,
        identity_checked=payload.identity_checked,
    )
    return describe(outcome)


@router.get(
    "/events/{event_id}/bundle", response=BundleOut, summary="Offline bundle", url_name="bundle"
)
def bundle(request, event_id: RowId):
    return services.offline_bundle(get_object_or_404(Event, pk=event_id))


@router.post(
    "/sync",
    response=list[VerdictOut | ScanErrorOut],
    summary="Send the scans made offline",
    description=(
        "One result per scan, in the order sent: its verdict, or an error {code, message} "
        "when its time is refused (the other scans are recorded all the same). Scans are "
        "recorded in the order they happened. 400 bad_bundle when `bundle` is not a stamp "
        "of this event's bundle."
    ),
    url_name="sync",
)
def sync(request, payload: SyncIn):
    event = get_object_or_404(Event, pk=payload.event_id)
    results = services.sync_offline_scans(
        event=event,
        gate=payload.gate,
        controller=request.auth,
        device=payload.device,
        bundle=payload.bundle,
        scans=[
            services.OfflineScan(item.token, item.scanned_at, item.identity_checked)
            for item in payload.scans
        ],
    )
    return [
        describe(result)
        if isinstance(result, services.Outcome)
        else {"code": result.code, "message": str(result)}
        for result in results
    ]
