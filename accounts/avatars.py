"""The avatar pipeline: whatever is uploaded, only a small re-encoded square is ever stored.

1. At most ``AVATAR_MAX_BYTES``, checked before Pillow sees a byte.
2. JPEG, PNG, WebP or GIF as Pillow reads the file's own header (not its name or the
   browser's content type). Only those four parsers are tried, so BMP, TIFF, PSD and the
   rest never reach a decoder.
3. At most ``AVATAR_MAX_PIXELS``, from the header, before anything is decoded: Pillow's
   decompression-bomb limit is set to it for the call and its warning is raised as an error,
   so a "tiny file, huge picture" is refused, never decompressed.
4. Decoded (the first frame of an animation; a JPEG at the smallest scale its decoder offers
   that is still big enough), cropped to a centred square, resized to ``AVATAR_SIZE`` pixels a
   side, turned upright by its EXIF orientation, and re-encoded as WebP from the pixels alone:
   EXIF (GPS included), XMP, comments, colour profiles and any bytes appended after the image
   are gone. WebP keeps GIF and PNG transparency, is a third the size of a PNG at 160 pixels,
   and every current browser shows it.
5. Stored under a random name, so names reveal nothing and cannot be guessed or collide.
"""

import logging
import secrets
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import ExifTags, Image, UnidentifiedImageError

from .models import AVATAR_SIZE

logger = logging.getLogger(__name__)

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
# A camera's multi-picture JPEG opens as "MPO" through the JPEG parser; its first picture is a
# plain JPEG.
DECODED_FORMATS = {*ALLOWED_FORMATS, "MPO"}
# EXIF orientation -> the transposition that turns the picture upright (as ImageOps.exif_transpose).
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
NOT_AN_ALLOWED_IMAGE = (
    "Avatars must be JPEG, PNG, WebP or GIF images; this file is none of those, or is damaged."
)
DAMAGED = "The image could not be read: the file is damaged or incomplete."


class AvatarRejected(ValueError):
    """The upload cannot be an avatar; the message says why, for the member to read."""


def avatar_size_limit() -> str:
    """``AVATAR_MAX_BYTES`` for people: "2 MB"."""
    max_bytes = settings.AVATAR_MAX_BYTES
    if max_bytes >= 1_000_000:
        return f"{max_bytes / 1_000_000:g} MB"
    return f"{max_bytes / 1_000:g} KB"


def make_avatar(upload: UploadedFile) -> ContentFile:
    """The stored form of an uploaded avatar, or :class:`AvatarRejected`."""
    max_bytes = settings.AVATAR_MAX_BYTES
    too_big = AvatarRejected(f"The file is too big: avatars may be at most {avatar_size_limit()}.")
    if upload.size is not None and upload.size > max_bytes:
        raise too_big
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_big
    square = _decode_square(data)
    encoded = BytesIO()
    square.save(encoded, format="WEBP", quality=85, method=4)
    return ContentFile(encoded.getvalue(), name=f"{secrets.token_hex(16)}.webp")


def _decode_square(data: bytes) -> Image.Image:
    max_pixels = settings.AVATAR_MAX_PIXELS
    too_many_pixels = AvatarRejected(
        f"The picture is too large: avatars may have at most {max_pixels / 1_000_000:g} million "
        "pixels. Please upload a smaller picture."
    )
    with _pixel_limit(max_pixels), warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(BytesIO(data), formats=ALLOWED_FORMATS)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise too_many_pixels from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise AvatarRejected(NOT_AN_ALLOWED_IMAGE) from None
    with image:
        if image.format not in DECODED_FORMATS:
            raise AvatarRejected(NOT_AN_ALLOWED_IMAGE)
        if image.width * image.height > max_pixels:  # see _pixel_limit
            raise too_many_pixels
        try:
            return _upright_square(image)
        except Exception:
            # Decoders of untrusted bytes fail in many ways (OSError for a truncated file,
            # but also ValueError, struct.error, EOFError…): each is a damaged file to the
            # member, never a server error.
            logger.info("Avatar upload could not be decoded", exc_info=True)
            raise AvatarRejected(DAMAGED) from None


def _upright_square(image: Image.Image) -> Image.Image:
    orientation = image.getexif().get(ExifTags.Base.Orientation)
    image.seek(0)
    if image.format in ("JPEG", "MPO"):
        # Decode at 1/2, 1/4 or 1/8 scale when that still leaves a full square.
        image.draft("RGB", (AVATAR_SIZE, AVATAR_SIZE))
    image.load()
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    pixels = image.convert("RGBA" if has_alpha else "RGB")
    side = min(pixels.size)
    left, top = (pixels.width - side) // 2, (pixels.height - side) // 2
    square = pixels.resize(
        (AVATAR_SIZE, AVATAR_SIZE),
        Image.Resampling.LANCZOS,
        box=(left, top, left + side, top + side),
        reducing_gap=3.0,
    )
    # A centred square turns into itself, so turning the small square is the same picture and
    # costs nothing next to turning the full-size one.
    if orientation in UPRIGHT:
        square = square.transpose(UPRIGHT[orientation])
    square.info.clear()  # nothing but pixels goes into the saved file
    return square


@contextmanager
def _pixel_limit(max_pixels: int) -> Iterator[None]:
    """Pillow's decompression-bomb limit at ``max_pixels`` while an upload is opened.

    The limit is a module global, so it is put back afterwards: other code using Pillow keeps
    its own limit. If two threads open uploads at once, one may open under Pillow's default
    limit; the size check right after opening still refuses the picture before decoding.
    """
    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        yield
    finally:
        Image.MAX_IMAGE_PIXELS = previous
