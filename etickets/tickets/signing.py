"""The Ed25519 key pair that signs the tickets' QR codes."""

import base64
import os
from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings


def load_private_key(text: str) -> Ed25519PrivateKey:
    """A key as configured: PEM (PKCS#8), or base64 of the 32 raw private bytes."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("TICKET_SIGNING_KEY is not an Ed25519 key")
        return key
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text))


def private_pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _development_key() -> Ed25519PrivateKey:
    """Development only: a key made once under var/, readable by its owner alone."""
    path = settings.TICKET_SIGNING_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            pass
        else:
            with os.fdopen(descriptor, "w") as file:
                file.write(private_pem(Ed25519PrivateKey.generate()))
    return load_private_key(path.read_text())


@cache
def signing_key() -> Ed25519PrivateKey:
    if settings.TICKET_SIGNING_KEY:
        return load_private_key(settings.TICKET_SIGNING_KEY)
    return _development_key()


def verifying_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def public_key_pem() -> str:
    """What scanners need to check a QR code offline."""
    return (
        verifying_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def public_key_raw() -> str:
    """The public key as base64 of its 32 raw bytes, as WebCrypto imports it."""
    raw = verifying_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()
