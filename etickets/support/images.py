"""Screenshots as users send them: checked by their header in the request, then decoded and
re-encoded without metadata by a background job (decoding is what costs CPU and memory)."""

import io
import secrets
import struct
import warnings
from contextlib import contextmanager
from typing import NamedTuple

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from etickets.core.errors import DomainError

MAX_BYTES = 5 * 1024 * 1024
# A 4K screen is 8.3 million pixels; decoded, 16 million take 64 MB at most (RGBA).
MAX_PIXELS = 16_000_000
# Pillow's own decompression-bomb check on the same bound, for every Image.open of the process
# (event pictures' ImageField too): a warning past it (an error here), an error at twice it.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


class BadScreenshot(DomainError):
    code = "bad_screenshot"


class Picture(NamedTuple):
    """What an upload's header says it is."""

    content_type: str
    extension: str
    width: int
    height: int


def random_name(extension: str) -> str:
    return f"{secrets.token_urlsafe(18)}.{extension}"


@contextmanager
def _refusals(name: str):
    """Pillow's complaints about ``name`` as BadScreenshot, with a French reason."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise BadScreenshot(
            _("« %(name)s » est une image démesurée : envoyez une capture d'écran normale."),
            name=name,
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise BadScreenshot(
            _("« %(name)s » n'est pas une image PNG, JPEG ou WebP."), name=name
        ) from error


def _format(image: Image.Image, name: str) -> str:
    """The picture's format, a key of FORMATS; BadScreenshot for any other."""
    if image.format is None or image.format not in FORMATS:
        raise BadScreenshot(_("« %(name)s » n'est pas une image PNG, JPEG ou WebP."), name=name)
    return image.format


def _open(file, name: str) -> Image.Image:
    """The picture, of which Pillow has read the header only: its pixels wait for load()."""
    file.seek(0)
    image = Image.open(file)
    _format(image, name)
    if image.width * image.height > MAX_PIXELS:
        raise Image.DecompressionBombError("too many pixels")
    return image


def inspect_screenshot(upload) -> Picture:
    """What ``upload`` is, from its size and header, without decoding a pixel (cheap enough
    for the request). Raises BadScreenshot with a French reason for anything else."""
    name = getattr(upload, "name", "")
    if upload.size > MAX_BYTES:
        raise BadScreenshot(_("« %(name)s » dépasse 5 Mo."), name=name)
    with _refusals(name), _open(upload, name) as image:
        image.verify()  # the structure (PNG: every chunk's checksum), still without decoding
        image_format = _format(image, name)
        return Picture(Image.MIME[image_format], FORMATS[image_format], image.width, image.height)


def clean_screenshot(file, name: str = "") -> tuple[ContentFile, int, int]:
    """A safe copy of a picture inspect_screenshot accepted: (file with a random name, width,
    height), decoded and written anew. Raises BadScreenshot if its pixels cannot be read."""
    with _refusals(name):
        image = _open(file, name)
        image.load()
    image_format = _format(image, name)
    # Turn the picture upright, then write a new file: EXIF (GPS, device) and every other
    # metadata block stay behind.
    try:
        clean = ImageOps.exif_transpose(image)
    except (SyntaxError, ValueError, OSError, KeyError, TypeError, IndexError, struct.error):
        clean = image  # a corrupt EXIF block (Pillow's parser raises all of these): as it is
    if image_format == "JPEG" and clean.mode not in ("RGB", "L"):
        clean = clean.convert("RGB")
    output = io.BytesIO()
    clean.save(output, format=image_format, **({"quality": 90} if image_format != "PNG" else {}))
    content = ContentFile(output.getvalue(), name=random_name(FORMATS[image_format]))
    return content, clean.width, clean.height
