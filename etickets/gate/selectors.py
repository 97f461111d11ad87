"""Reads for the gate pages."""

from .models import Scan, Verdict


def entries_let_in(event, gate: str, controller) -> int:
    """The scanner's « Entrées » counter: the tickets ``controller`` let in at ``gate`` for
    ``event`` (offline scans count once they have reached the server)."""
    return Scan.objects.filter(
        event=event, gate=gate, controller=controller, verdict=Verdict.VALID
    ).count()
