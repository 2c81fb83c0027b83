"""Faces of challenges: only real images of a bounded size, saved again without EXIF (so no GPS)."""

import io
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format → file extension; other formats (TIFF, BMP, …) are refused.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_SIDE = 2400  # larger photos are scaled down: a face on a page never needs more
# Twice MAX_SIDE on each side is the most a face needs: decoding more takes memory for nothing.
MAX_PIXELS = (2 * MAX_SIDE) ** 2


def image_clean(upload: Any) -> ContentFile:
    """A cleaned copy of an uploaded image: checked, turned upright, scaled down, without metadata."""
    if upload.size > settings.SAMEN_MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is %(size)s; it may be at most %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(settings.SAMEN_MAX_IMAGE_BYTES)},
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()  # catches truncated and corrupt files
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in FORMATS:  # refused before its (possibly poor) decoder runs
            raise ValidationError(
                _("Images in %(format)s are not accepted. Upload a JPEG, PNG or WebP picture.")
                % {"format": image.format},
                code="format",
            )
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(
                _("The image is %(width)s × %(height)s pixels; it may have at most %(max)s million pixels.")
                % {"width": image.width, "height": image.height, "max": MAX_PIXELS // 1_000_000},
                code="too_many_pixels",
            )
        if image.format == "JPEG":
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode at a reduced scale straight away
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not an image that can be read. Upload a JPEG, PNG or WebP picture."), code="not_image"
        ) from None
    if image.format not in FORMATS:
        raise ValidationError(
            _("Images in %(format)s are not accepted. Upload a JPEG, PNG or WebP picture.") % {"format": image.format},
            code="format",
        )
    return ContentFile(_without_metadata(image), name=f"{uuid.uuid4().hex}.{FORMATS[image.format]}")


def _without_metadata(image: Image.Image) -> bytes:
    fmt = image.format or "PNG"
    upright = ImageOps.exif_transpose(image)  # the orientation tag goes with the rest of EXIF
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    # Copy the pixels into a fresh image: nothing of the original's metadata (EXIF, GPS, XMP, text) comes along.
    pixels = upright.convert(upright.mode if upright.mode in ("RGB", "RGBA", "L", "LA") else "RGBA")
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "WEBP":
        clean.save(out, "WEBP", quality=85)
    else:
        clean.save(out, "PNG", optimize=True)
    return out.getvalue()
