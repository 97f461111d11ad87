"""Reads for the gate pages."""

from etickets.accounts.models import User
from etickets.catalog.models import Event

from .models import Scan, Verdict


def entries_let_in(event: Event, *, gate: str, controller: User) -> int:
    """The scanner's « Entrées » counter: the tickets ``controller`` let in at ``gate`` for
    ``event`` (offline scans count once they have reached the server)."""
    return Scan.objects.filter(
        event=event, gate=gate, controller=controller, verdict=Verdict.VALID
    ).count()
