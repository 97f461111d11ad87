"""Screenshots as users send them: checked by their content, then re-encoded without metadata."""

import io
import secrets
import struct
import warnings

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from etickets.core.errors import DomainError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 8K screenshot is 33 million
FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


class BadScreenshot(DomainError):
    code = "bad_screenshot"


def clean_screenshot(upload) -> tuple[ContentFile, str, int, int]:
    """A safe copy of an uploaded picture: (file with a random name, content type, width,
    height). Raises BadScreenshot with a French reason for anything else."""
    name = getattr(upload, "name", "")
    if upload.size > MAX_BYTES:
        raise BadScreenshot(_("« %(name)s » dépasse 5 Mo."), name=name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as probe:
                probe.verify()
            upload.seek(0)
            image = Image.open(upload)
            if image.format not in FORMATS:
                raise BadScreenshot(
                    _("« %(name)s » n'est pas une image PNG, JPEG ou WebP."), name=name
                )
            if image.width * image.height > MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise BadScreenshot(
            _("« %(name)s » est une image démesurée : envoyez une capture d'écran normale."),
            name=name,
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise BadScreenshot(
            _("« %(name)s » n'est pas une image PNG, JPEG ou WebP."), name=name
        ) from error

    image_format = image.format
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
    extension = FORMATS[image_format]
    content = ContentFile(output.getvalue(), name=f"{secrets.token_urlsafe(18)}.{extension}")
    return content, Image.MIME[image_format], clean.width, clean.height
