"""The QR code's token (docs/ARCHITECTURE.md, « Tickets »).

Version 1, base64url without padding (126 characters):

    version (1) ‖ ticket id (16) ‖ event id (4) ‖ persons (1) ‖ key digest (8) ‖ Ed25519 (64)

The signature covers everything before it, so anyone holding the public key can check a token
offline. The key digest is the start of the ticket key, HMAC-SHA256(account key, purchase key ‖
ticket id ‖ key version): only the database can tell whether it is still the current one.
"""

import base64
import binascii
import hashlib
import hmac
import struct
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .errors import TicketRefused
from .signing import signing_key, verifying_key

VERSION = 1
_BODY = struct.Struct(">B16sIB8s")
_SIGNATURE_SIZE = 64
TOKEN_SIZE = _BODY.size + _SIGNATURE_SIZE
MAX_TOKEN_LENGTH = 200  # longer input is not even decoded


@dataclass(frozen=True)
class Claims:
    ticket_id: uuid.UUID
    event_id: int
    persons: int
    key_digest: bytes


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


def issue_token(ticket) -> str:
    body = _BODY.pack(VERSION, ticket.id.bytes, ticket.event_id, ticket.persons, key_digest(ticket))
    raw = body + signing_key().sign(body)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def read_token(token: str, public_key: Ed25519PublicKey | None = None) -> Claims:
    """The claims of an authentic token; TicketRefused("malformed" | "bad_signature") else."""
    if not isinstance(token, str) or len(token.strip()) > MAX_TOKEN_LENGTH:
        raise TicketRefused("malformed")
    token = token.strip()
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
    return Claims(uuid.UUID(bytes=ticket_id), event_id, persons, digest)
