"""Rotating codes as the holder's phone makes them (static/js/rotating-code.js), for tests."""

import datetime

import base45
from django.utils import timezone

from etickets.tickets import tokens


def rotating_code(
    ticket,
    *,
    at: datetime.datetime | None = None,
    certificate: bytes | None = None,
    private_key=None,
) -> str:
    """The code ``ticket``'s page shows at ``at`` (now by default): its certificate and the
    time step, signed by its private key (or the ``certificate`` and ``private_key`` given)."""
    step = tokens.time_step(at or timezone.now())
    signed = (certificate or tokens.issue_certificate(ticket)) + step.to_bytes(4, "big")
    key = private_key or tokens.ticket_private_key(ticket)
    return tokens.DYNAMIC_PREFIX + base45.b45encode(signed + key.sign(signed)).decode()
