"""The rotating QR code (docs/ARCHITECTURE.md, « Rotating QR codes »): what a gate accepts."""

import datetime
import statistics
import time

import base45
import pytest
import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from etickets.tickets import tokens
from etickets.tickets.errors import TicketRefused
from etickets.tickets.services import check_ticket, regenerate_qr_code
from etickets.tickets.tests.rotating import rotating_code

STEP = datetime.timedelta(seconds=tokens.STEP_SECONDS)


def refused(code, **kwargs):
    with pytest.raises(TicketRefused) as error:
        check_ticket(code, **kwargs)
    return error.value.reason


@pytest.fixture
def ticket(order):
    ticket = order.tickets.select_related("holder", "order", "event").first()
    ticket.event.rotating_codes = True
    ticket.event.save()
    return ticket


@pytest.fixture
def now():
    """The middle of a time step: a step before or after is a whole step away."""
    moment = timezone.now()
    return moment - datetime.timedelta(seconds=moment.timestamp() % tokens.STEP_SECONDS - 7.5)


@pytest.mark.django_db
def test_the_code_of_the_current_step_admits(ticket, now):
    code = rotating_code(ticket, at=now)
    assert len(code) == tokens.DYNAMIC_LENGTH == 288
    assert code.startswith("JO:")
    assert set(code) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    checked = check_ticket(code, event_id=ticket.event_id, at=now)
    assert checked.ticket == ticket and not checked.printed
    claims = tokens.read_token(code, at=now)
    assert (claims.ticket_id, claims.event_id, claims.persons, claims.key_version) == (
        ticket.id,
        ticket.event_id,
        ticket.persons,
        1,
    )


@pytest.mark.django_db
def test_the_previous_step_is_accepted_older_ones_are_refused(ticket, now):
    assert check_ticket(rotating_code(ticket, at=now - STEP), at=now).ticket == ticket
    assert refused(rotating_code(ticket, at=now - 2 * STEP), at=now) == "expired_code"
    # A screenshot sent on: refused however it is replayed later.
    screenshot = rotating_code(ticket, at=now)
    assert refused(screenshot, at=now + 2 * STEP) == "expired_code"
    assert refused(screenshot, at=now + datetime.timedelta(hours=2)) == "expired_code"


@pytest.mark.django_db
def test_the_next_step_is_accepted_later_ones_are_refused(ticket, now):
    assert check_ticket(rotating_code(ticket, at=now + STEP), at=now).ticket == ticket
    assert refused(rotating_code(ticket, at=now + 2 * STEP), at=now) == "future_code"


@pytest.mark.django_db
def test_a_forged_certificate_is_refused(ticket, now):
    # Signed by another site key: someone's own certificate for a key they hold.
    thief = Ed25519PrivateKey.generate()
    certificate = bytearray(tokens.issue_certificate(ticket))
    body = bytes(certificate[:58])
    certificate[58:] = thief.sign(body)
    assert refused(rotating_code(ticket, at=now, certificate=bytes(certificate)), at=now) == (
        "bad_signature"
    )
    # The site's certificate, altered: a Solo made to admit four.
    altered = bytearray(tokens.issue_certificate(ticket))
    altered[21] = 4
    assert refused(rotating_code(ticket, at=now, certificate=bytes(altered)), at=now) == (
        "bad_signature"
    )
    # The site's certificate with the thief's public key in it.
    swapped = bytearray(tokens.issue_certificate(ticket))
    swapped[26:58] = thief.public_key().public_bytes_raw()
    code = rotating_code(ticket, at=now, certificate=bytes(swapped), private_key=thief)
    assert refused(code, at=now) == "bad_signature"


@pytest.mark.django_db
def test_a_step_signed_by_another_key_is_refused(ticket, order, now):
    other = order.tickets.exclude(pk=ticket.pk).select_related("holder", "order").first()
    code = rotating_code(ticket, at=now, private_key=tokens.ticket_private_key(other))
    assert refused(code, at=now) == "bad_signature"
    code = rotating_code(ticket, at=now, private_key=Ed25519PrivateKey.generate())
    assert refused(code, at=now) == "bad_signature"


@pytest.mark.django_db
def test_an_altered_step_is_refused(ticket, now):
    raw = bytearray(base45.b45decode(rotating_code(ticket, at=now - 5 * STEP)[3:]))
    raw[122:126] = tokens.time_step(now).to_bytes(4, "big")  # the old signature, a new step
    assert refused("JO:" + base45.b45encode(bytes(raw)).decode(), at=now) == "bad_signature"


@pytest.mark.django_db
def test_regenerating_revokes_the_key_and_its_certificate(ticket, now):
    old_key = tokens.ticket_private_key(ticket).public_key().public_bytes_raw()
    old_code = rotating_code(ticket, at=now)
    assert regenerate_qr_code(ticket)
    new_key = tokens.ticket_private_key(ticket).public_key().public_bytes_raw()
    assert new_key != old_key
    assert refused(old_code, at=now) == "key_rotated"
    assert check_ticket(rotating_code(ticket, at=now), at=now).ticket == ticket


@pytest.mark.django_db
def test_the_static_code_is_a_printed_ticket_where_codes_rotate(ticket):
    assert check_ticket(tokens.issue_token(ticket)).printed
    ticket.event.rotating_codes = False
    ticket.event.save()
    assert not check_ticket(tokens.issue_token(ticket)).printed


@pytest.mark.django_db
@pytest.mark.parametrize(
    "garbage",
    ["JO:" + "A" * 285, "JO:" + " " * 285, "JO:" + "é" * 285, "JO:" + "0" * 284, "JO:", "JO:é"],
)
def test_unreadable_rotating_codes_are_malformed(ticket, garbage):
    assert refused(garbage) == "malformed"


@pytest.mark.django_db
def test_the_code_is_a_version_10_qr_code(ticket, now):
    """Alphanumeric mode, error correction M: 57 × 57 modules (the static code: 8-Q, 49)."""
    code = segno.make(rotating_code(ticket, at=now), error="m", micro=False, boost_error=False)
    assert (code.version, code.mode, code.error) == (10, "alphanumeric", "M")


@pytest.mark.django_db
def test_reading_a_code_takes_well_under_2_ms(ticket, now):
    code = rotating_code(ticket, at=now)
    tokens.read_token(code, at=now)  # the public key loaded once
    times = []
    for _ in range(200):
        start = time.perf_counter()
        tokens.read_token(code, at=now)
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.002
