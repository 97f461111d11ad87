"""/api/v1/gate: what scanners at the venue entrances call."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from etickets.catalog.models import Event
from etickets.gate import services
from etickets.gate.models import Verdict

from .auth import BearerToken, VerifiedSession
from .errors import RowId

# Scanning devices send a token: checked first (a request without one passes on at once).
router = Router(
    auth=[BearerToken(services.may_scan), VerifiedSession(services.may_scan)], tags=["gate"]
)


class ScanIn(Schema):
    token: str = Field(max_length=300, description="The QR code's content")
    event_id: RowId = Field(description="The event this gate admits to")
    gate: str = Field(min_length=1, max_length=60, description="The gate's name")


class TicketOut(Schema):
    number: str
    holder: str
    kind: str
    persons: int
    event: str


class VerdictOut(Schema):
    verdict: str = Field(description="valid, already_used, invalid or conflict")
    label: str = Field(description="VALIDE, DÉJÀ UTILISÉ, INVALIDE or CONFLIT")
    reason: str = Field(description="Why it may not enter; empty when valid")
    message: str
    ticket: TicketOut | None
    used_at: datetime.datetime | None
    used_gate: str
    scan: int


class OfflineScanIn(Schema):
    token: str = Field(max_length=300)
    scanned_at: datetime.datetime


class SyncIn(Schema):
    event_id: RowId
    gate: str = Field(min_length=1, max_length=60)
    device: str = Field(default="", max_length=64)
    scans: list[OfflineScanIn] = Field(max_length=5000)


class BundleTicket(Schema):
    id: str
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
    tickets: list[BundleTicket]


def describe(outcome: services.Outcome) -> dict:
    ticket = outcome.ticket
    return {
        "verdict": outcome.verdict,
        "label": str(Verdict(outcome.verdict).label),
        "reason": outcome.reason,
        "message": outcome.message if outcome.reason else str(_("Entrée autorisée.")),
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
        "scan": outcome.scan.pk,
    }


@router.post("/scan", response=VerdictOut, summary="Scan a ticket at a gate", url_name="scan")
def scan(request, payload: ScanIn):
    # The event by its id: a ticket of that event is read with it (one statement less a scan).
    outcome = services.redeem_ticket(
        payload.token, event=payload.event_id, gate=payload.gate, controller=request.auth
    )
    return describe(outcome)


@router.get(
    "/events/{event_id}/bundle", response=BundleOut, summary="Offline bundle", url_name="bundle"
)
def bundle(request, event_id: RowId):
    return services.offline_bundle(get_object_or_404(Event, pk=event_id))


@router.post(
    "/sync", response=list[VerdictOut], summary="Send the scans made offline", url_name="sync"
)
def sync(request, payload: SyncIn):
    event = get_object_or_404(Event, pk=payload.event_id)
    return [
        describe(
            services.redeem_ticket(
                item.token,
                event=event,
                gate=payload.gate,
                controller=request.auth,
                scanned_at=item.scanned_at,
                offline=True,
                device=payload.device,
            )
        )
        for item in sorted(payload.scans, key=lambda item: item.scanned_at)
    ]
