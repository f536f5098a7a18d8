"""The avatar pipeline: whatever is uploaded, only a small re-encoded square is ever stored.

1. At most ``AVATAR_MAX_BYTES``, checked before Pillow sees a byte.
2. JPEG, PNG, WebP or GIF as Pillow reads the file's own header (not its name or the
   browser's content type). Only those four parsers are tried, so BMP, TIFF, PSD and the
   rest never reach a decoder.
3. At most ``AVATAR_MAX_PIXELS``, from the header, before anything is decoded: Pillow's
   decompression-bomb limit is set to it for the call and its warning is raised as an error,
   so a "tiny file, huge picture" is refused, never decompressed.
4. At most ``DECODE_BUDGET`` bytes to decode, also worked out from the header (pixels times
   the bytes each takes in that format and mode, plus a progressive JPEG's full-size
   coefficients), so no accepted upload adds more than 64 MB to a worker's memory
   (``bench/avatar_memory.py``; ``docs/performance.md``).
5. Decoded (the first frame of an animation; a JPEG at the smallest scale its decoder offers
   that is still big enough), cropped to a centred square and brought down to
   ``AVATAR_SIZE`` pixels a side one band at a time (the decoded picture is the only
   full-size copy), turned upright by its EXIF orientation, and re-encoded as WebP from the
   pixels alone: EXIF (GPS included), XMP, comments, colour profiles and any bytes appended
   after the image are gone. WebP keeps GIF and PNG transparency, is a third the size of a
   PNG at 160 pixels, and every current browser shows it.
6. Stored under a random name, so names reveal nothing and cannot be guessed or collide.
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

# Decoding an accepted upload may add at most 64 MB to a worker's peak memory. The decoded
# picture is the only full-size thing the pipeline holds, so its cost, worked out from the
# header before a pixel is decoded, is held to this, with room to spare for the rest of the
# pipeline (the upload itself, the bands, the small square, the WebP encoder).
DECODE_BUDGET = 48_000_000
# Bytes a pixel takes once decoded: Pillow stores 1, L and P in one byte, 16-bit grey in
# two, and every other mode (RGB included) in four.
PIXEL_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}
# libwebp decodes into its own canvas (and keeps the previous one, and, for a lossless
# picture, a whole-picture buffer of its own) before Pillow copies the pixels out:
# measured at 12 to 16 bytes a pixel by bench/avatar_memory.py.
WEBP_BYTES_PER_PIXEL = 16
# JPEG frames (SOF0, SOF1, SOF9) that libjpeg decodes a row of blocks at a time when their
# first scan holds every component; progressive and lossless ones buffer the whole picture.
SINGLE_SCAN_FRAMES = {0xC0, 0xC1, 0xC9}
# JPEG markers that stand alone, without a length.
STANDALONE_MARKERS = {0x01, *range(0xD0, 0xDA)}
# The square is box-averaged down to at least this many times the avatar's size before the
# Lanczos filter (``Image.resize``'s ``reducing_gap``), ...
REDUCING_GAP = 3
# ... this many pixels of the decoded picture at a time.
BAND_PIXELS = 250_000


class AvatarRejected(ValueError):
    """The upload cannot be an avatar; the message says why, for the member to read."""


def avatar_size_limit() -> str:
    """``AVATAR_MAX_BYTES`` for people: "2 MB"."""
    max_bytes = settings.AVATAR_MAX_BYTES
    if max_bytes >= 1_000_000:
        return f"{max_bytes / 1_000_000:g} MB"
    return f"{max_bytes / 1_000:g} KB"


def avatar_too_big() -> AvatarRejected:
    """The refusal of an upload over ``AVATAR_MAX_BYTES``."""
    return AvatarRejected(f"The file is too big: avatars may be at most {avatar_size_limit()}.")


def make_avatar(upload: UploadedFile) -> ContentFile:
    """The stored form of an uploaded avatar, or :class:`AvatarRejected`."""
    max_bytes = settings.AVATAR_MAX_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise avatar_too_big()
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise avatar_too_big()
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
        # Decoders of untrusted bytes fail in many ways (OSError for a truncated file, but
        # also ValueError, struct.error, EOFError…): each is a damaged file to the member,
        # never a server error.
        try:
            image.seek(0)
            if image.format in ("JPEG", "MPO"):
                # Decode at 1/2, 1/4 or 1/8 scale when that still leaves a full square.
                image.draft("RGB", (AVATAR_SIZE, AVATAR_SIZE))
            cost = decoding_cost(image, data)
        except Exception:
            logger.info("Avatar upload could not be read", exc_info=True)
            raise AvatarRejected(DAMAGED) from None
        if cost > DECODE_BUDGET:
            raise AvatarRejected(_too_costly_message(image, cost))
        try:
            # After the budget check: a PNG's EXIF may follow its pixels, so reading it
            # decodes the picture.
            orientation = image.getexif().get(ExifTags.Base.Orientation)
            image.load()
            square = _small_square(image)
        except Exception:
            logger.info("Avatar upload could not be decoded", exc_info=True)
            raise AvatarRejected(DAMAGED) from None
    # A centred square turns into itself, so turning the small square is the same picture and
    # costs nothing next to turning the full-size one.
    if orientation in UPRIGHT:
        square = square.transpose(UPRIGHT[orientation])
    square.info.clear()  # nothing but pixels goes into the saved file
    return square


def _small_square(image: Image.Image) -> Image.Image:
    """The centred square of the decoded ``image`` at ``AVATAR_SIZE`` pixels a side, in RGB,
    or RGBA when the picture has transparency.

    The decoded picture is the only full-size copy ever made: its square is cut, converted
    and box-averaged down (to between 3 and 6 times the avatar's size) one band of rows at a
    time, and only that small picture is resampled with Lanczos. Transparent pictures are
    averaged with premultiplied alpha ("RGBa"), as ``Image.resize`` does, so transparent
    pixels do not bleed their hidden colour into the edges.
    """
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    factor = max(1, side // (AVATAR_SIZE * REDUCING_GAP))
    reduced = Image.new("RGBa" if has_alpha else "RGB", (_ceil_div(side, factor),) * 2)
    band_rows = factor * max(1, BAND_PIXELS // (side * factor))
    for row in range(0, side, band_rows):
        band = image.crop((left, top + row, left + side, top + min(side, row + band_rows)))
        if has_alpha:
            band = band if band.mode == "RGBA" else band.convert("RGBA")
            band = band.convert("RGBa")
        elif band.mode != "RGB":
            band = band.convert("RGB")
        reduced.paste(band.reduce(factor), (0, row // factor))
    square = reduced.resize((AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS)
    return square.convert("RGBA") if has_alpha else square


def decoding_cost(image: Image.Image, data: bytes) -> int:
    """The bytes decoding ``image`` (opened from ``data``, not yet loaded; a JPEG after its
    ``draft``) adds to the process at its peak, from the header alone.

    The per-pixel figures are measured by ``bench/avatar_memory.py`` (``docs/performance.md``).
    """
    pixels = image.width * image.height
    if image.format == "WEBP":
        return pixels * WEBP_BYTES_PER_PIXEL
    cost = pixels * PIXEL_BYTES.get(image.mode, 4)
    if image.format in ("JPEG", "MPO"):
        cost += _jpeg_coefficient_bytes(image, data)
    return cost


def _jpeg_coefficient_bytes(image: Image.Image, data: bytes) -> int:
    """The whole-picture buffer of DCT coefficients libjpeg keeps for a JPEG of several scans.

    A progressive JPEG, or one whose first scan holds only some of the colour components, is
    decoded from a buffer of every 8 × 8 block of the picture at full size (two bytes a
    coefficient), whatever the draft scale. A plain baseline JPEG is decoded a row of blocks
    at a time and needs none.
    """
    if not _jpeg_has_several_scans(data):
        return 0
    scale = _draft_scale(image)
    width, height = image.width * scale, image.height * scale
    h_max = max(h for _id, h, _v, _table in image.layer)
    v_max = max(v for _id, _h, v, _table in image.layer)
    blocks = 0
    for _id, h, v, _table in image.layer:
        columns = _round_up(_ceil_div(_ceil_div(width * h, h_max), 8), h)
        rows = _round_up(_ceil_div(_ceil_div(height * v, v_max), 8), v)
        blocks += columns * rows
    return blocks * 64 * 2


def _jpeg_has_several_scans(data: bytes) -> bool:
    """Whether libjpeg will buffer the whole picture: a progressive or lossless frame, or a
    first scan with fewer components than the frame (libjpeg's ``has_multiple_scans``).
    Anything this walk cannot follow counts as several scans."""
    position, components = 2, 0
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return True
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in STANDALONE_MARKERS:
            position += 2
            continue
        if marker in SINGLE_SCAN_FRAMES:
            components = data[position + 9] if position + 9 < len(data) else 0
        elif 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return True  # progressive or lossless
        elif marker == 0xDA:  # start of the first scan
            return position + 4 >= len(data) or data[position + 4] < components
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return True


def _ceil_div(value: int, divisor: int) -> int:
    return -(-value // divisor)


def _round_up(value: int, multiple: int) -> int:
    return _ceil_div(value, multiple) * multiple


def _draft_scale(image: Image.Image) -> int:
    """1, 2, 4 or 8: how many times smaller a JPEG decodes after its ``draft``."""
    return image.decoderconfig[0] if image.format in ("JPEG", "MPO") and image.decoderconfig else 1


def _too_costly_message(image: Image.Image, cost: int) -> str:
    pixels = image.width * image.height * _draft_scale(image) ** 2
    allowed = pixels * DECODE_BUDGET / cost
    return (
        "The picture is too large to process: a picture like this one may have at most "
        f"about {allowed / 1_000_000:.1f} million pixels. Please upload a smaller picture."
    )


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
