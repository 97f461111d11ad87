"""The QR code's tokens (docs/ARCHITECTURE.md, « Tickets » and « Rotating QR codes »).

Version 1, the static code (PDF, and the page when the event's codes are static), base64url
without padding (126 characters):

    version (1) ‖ ticket id (16) ‖ event id (4) ‖ persons (1) ‖ key digest (8) ‖ Ed25519 (64)

The signature covers everything before it, so anyone holding the public key can check a token
offline. The key digest is the start of the ticket key, HMAC-SHA256(account key, purchase key ‖
ticket id ‖ key version): only the database can tell whether it is still the current one.

Version 2, the rotating code the ticket page draws every STEP_SECONDS: "JO:" and base45 (RFC
9285), 288 characters of the QR code's alphanumeric mode. (Base45 may begin with a space,
which readers and forms trim: the prefix keeps it inside.)

    certificate: version (1) ‖ ticket id (16) ‖ event id (4) ‖ persons (1) ‖ key version (4)
                 ‖ ticket public key (32) ‖ the site's Ed25519 signature of all that (64)
    code:        certificate (122) ‖ time step (4) ‖ the ticket key's Ed25519 signature of the
                 certificate and the step (64)

The server signs the certificate; only the holder's phone, which holds the ticket's private
key, can sign a step. A gate needs the site's public key alone to check both.
"""

import base64
import binascii
import datetime
import hashlib
import hmac
import struct
import uuid
from dataclasses import dataclass

import base45
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .errors import TicketRefused
from .signing import signing_key, verifying_key

VERSION = 1
_BODY = struct.Struct(">B16sIB8s")
_SIGNATURE_SIZE = 64
TOKEN_SIZE = _BODY.size + _SIGNATURE_SIZE
MAX_TOKEN_LENGTH = 300  # longer input is not even decoded


DYNAMIC_VERSION = 2
_CERTIFICATE_BODY = struct.Struct(">B16sIBI32s")
CERTIFICATE_SIZE = _CERTIFICATE_BODY.size + _SIGNATURE_SIZE
_STEP = struct.Struct(">I")
DYNAMIC_SIZE = CERTIFICATE_SIZE + _STEP.size + _SIGNATURE_SIZE
DYNAMIC_PREFIX = "JO:"
DYNAMIC_LENGTH = len(DYNAMIC_PREFIX) + len(base45.b45encode(bytes(DYNAMIC_SIZE)))
# A rotating code changes every STEP_SECONDS; a gate takes the step before and after its own
# (clocks differ by a few seconds, and a code shown just before it changed is still read).
STEP_SECONDS = 15
TOLERANCE_STEPS = 1
# What the ticket's private key is derived from, besides its ticket key: a key pair of its own,
# so that the static code's key digest (public) tells nothing of it.
_DYNAMIC_KEY_LABEL = b"etickets rotating code key"


@dataclass(frozen=True)
class Claims:
    ticket_id: uuid.UUID
    event_id: int
    persons: int
    key_digest: bytes = b""  # version 1
    key_version: int = 0  # version 2: the certificate's, current until « Régénérer »
    step: int | None = None  # version 2

    @property
    def rotating(self) -> bool:
        return self.step is not None


def ticket_key(
    account_key: bytes, purchase_key: bytes, ticket_id: uuid.UUID, version: int
) -> bytes:
    message = bytes(purchase_key) + ticket_id.bytes + version.to_bytes(4, "big")
    return hmac.new(bytes(account_key), message, hashlib.sha256).digest()


def key_digest(ticket) -> bytes:
    """The first 8 bytes of the ticket's current key."""
    key = ticket_key(
        ticket.holder.account_key, ticket.order.purchase_key, ticket.id, ticket.key_version
    )
    return key[:8]


def time_step(at: datetime.datetime) -> int:
    return int(at.timestamp()) // STEP_SECONDS


def ticket_private_key(ticket) -> Ed25519PrivateKey:
    """The private key of the ticket's rotating code: derived from its ticket key, so nothing
    more is stored, and « Régénérer le QR code » (a new key version) makes a new pair."""
    key = ticket_key(
        ticket.holder.account_key, ticket.order.purchase_key, ticket.id, ticket.key_version
    )
    return Ed25519PrivateKey.from_private_bytes(
        hmac.new(key, _DYNAMIC_KEY_LABEL, hashlib.sha256).digest()
    )


def private_key_pkcs8(key: Ed25519PrivateKey) -> bytes:
    """The key as WebCrypto imports a private Ed25519 key."""
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def issue_certificate(ticket) -> bytes:
    """The site's signed statement of which public key may sign the ticket's rotating code."""
    public = (
        ticket_private_key(ticket)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    body = _CERTIFICATE_BODY.pack(
        DYNAMIC_VERSION,
        ticket.id.bytes,
        ticket.event_id,
        ticket.persons,
        ticket.key_version,
        public,
    )
    return body + signing_key().sign(body)


def issue_token(ticket) -> str:
    body = _BODY.pack(VERSION, ticket.id.bytes, ticket.event_id, ticket.persons, key_digest(ticket))
    raw = body + signing_key().sign(body)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def read_token(
    token: str,
    public_key: Ed25519PublicKey | None = None,
    *,
    at: datetime.datetime | None = None,
) -> Claims:
    """The claims of an authentic token, static or rotating (a rotating one shown at ``at``,
    by default now); TicketRefused("malformed" | "bad_signature" | "expired_code" |
    "future_code") else."""
    if not isinstance(token, str) or len(token.strip()) > MAX_TOKEN_LENGTH:
        raise TicketRefused("malformed")
    token = token.strip()
    if token.startswith(DYNAMIC_PREFIX):
        return _read_rotating(token, public_key or verifying_key(), at)
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError) as error:
        raise TicketRefused("malformed") from error
    if len(raw) != TOKEN_SIZE or raw[0] != VERSION:
        raise TicketRefused("malformed")
    body, signature = raw[: _BODY.size], raw[_BODY.size :]
    try:
        (public_key or verifying_key()).verify(signature, body)
    except InvalidSignature as error:
        raise TicketRefused("bad_signature") from error
    _version, ticket_id, event_id, persons, digest = _BODY.unpack(body)
    return Claims(uuid.UUID(bytes=ticket_id), event_id, persons, key_digest=digest)


def _read_rotating(
    token: str, public_key: Ed25519PublicKey, at: datetime.datetime | None
) -> Claims:
    """Version 2: the site's signature on the certificate, then the ticket key's on the step,
    then the step against the clock (a screenshot is an old step)."""
    try:
        raw = base45.b45decode(token.removeprefix(DYNAMIC_PREFIX))
    except ValueError as error:
        raise TicketRefused("malformed") from error
    if len(raw) != DYNAMIC_SIZE or raw[0] != DYNAMIC_VERSION:
        raise TicketRefused("malformed")
    body, signed = raw[: _CERTIFICATE_BODY.size], raw[: CERTIFICATE_SIZE + _STEP.size]
    _version, ticket_id, event_id, persons, key_version, ticket_public = _CERTIFICATE_BODY.unpack(
        body
    )
    try:
        public_key.verify(raw[_CERTIFICATE_BODY.size : CERTIFICATE_SIZE], body)
        Ed25519PublicKey.from_public_bytes(ticket_public).verify(raw[len(signed) :], signed)
    except InvalidSignature as error:
        raise TicketRefused("bad_signature") from error
    (step,) = _STEP.unpack(raw[CERTIFICATE_SIZE : len(signed)])
    now = time_step(at or datetime.datetime.now(tz=datetime.UTC))
    if step < now - TOLERANCE_STEPS:
        raise TicketRefused("expired_code")
    if step > now + TOLERANCE_STEPS:
        raise TicketRefused("future_code")
    return Claims(uuid.UUID(bytes=ticket_id), event_id, persons, key_version=key_version, step=step)
