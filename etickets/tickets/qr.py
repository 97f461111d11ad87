import segno

# Q: a quarter of the code may be smudged, folded or glared and it still reads.
ERROR_CORRECTION = "q"


def qr_code(token: str) -> segno.QRCode:
    return segno.make(token, error=ERROR_CORRECTION, micro=False, boost_error=False)


def qr_svg(token: str) -> str:
    """An inline SVG (no XML declaration, a viewBox: the page sets its size), black on white,
    with its quiet zone."""
    return qr_code(token).svg_inline(border=4, dark="#000", light="#fff", omitsize=True)
