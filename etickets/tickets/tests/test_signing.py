import base64
from io import StringIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command

from etickets.tickets import signing


def test_keys_load_from_pem_or_raw_base64():
    key = Ed25519PrivateKey.generate()
    pem = signing.private_pem(key)
    raw = base64.b64encode(key.private_bytes_raw()).decode()
    for text in (pem, raw):
        assert signing.load_private_key(text).private_bytes_raw() == key.private_bytes_raw()


def test_development_key_is_made_once_and_private(settings, tmp_path):
    settings.TICKET_SIGNING_KEY = ""
    settings.TICKET_SIGNING_KEY_FILE = tmp_path / "var" / "key.pem"
    signing.signing_key.cache_clear()
    try:
        first = signing.signing_key().private_bytes_raw()
        assert (tmp_path / "var" / "key.pem").stat().st_mode & 0o777 == 0o600
        signing.signing_key.cache_clear()
        assert signing.signing_key().private_bytes_raw() == first
    finally:
        signing.signing_key.cache_clear()


def test_command_prints_a_usable_key():
    out = StringIO()
    call_command("new_ticket_signing_key", stdout=out)
    assert signing.load_private_key(out.getvalue()).public_key()
