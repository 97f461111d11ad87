import hashlib

import segno
from django.core.cache import cache

# Q: a quarter of the code may be smudged, folded or glared and it still reads.
ERROR_CORRECTION = "q"
# A token always draws the same code, and encoding one takes ~7 ms of CPU (« Mes billets »
# shows them all): each is kept a day. A new token (a regenerated QR code) is a new entry.
SVG_CACHE_SECONDS = 24 * 3600


def qr_code(token: str) -> segno.QRCode:
    return segno.make(token, error=ERROR_CORRECTION, micro=False, boost_error=False)


def qr_svg(token: str) -> str:
    """An inline SVG (no XML declaration, a viewBox: the page sets its size), black on white,
    with its quiet zone."""
    return qr_svgs([token])[0]


def qr_svgs(tokens: list[str]) -> list[str]:
    """``qr_svg`` of each token, those drawn before read from the cache in one call."""
    keys = [f"qr-svg:{hashlib.sha256(token.encode()).hexdigest()}" for token in tokens]
    found = cache.get_many(keys)
    drawn = {}
    for key, token in zip(keys, tokens, strict=True):
        if key not in found:
            svg = qr_code(token).svg_inline(border=4, dark="#000", light="#fff", omitsize=True)
            found[key] = drawn[key] = svg
    if drawn:
        cache.set_many(drawn, SVG_CACHE_SECONDS)
    return [found[key] for key in keys]
