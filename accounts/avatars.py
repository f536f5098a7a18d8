"""The avatar pipeline: whatever is uploaded, only a small re-encoded square is ever stored.

1. At most ``AVATAR_MAX_BYTES``, checked before anything is decoded.
2. JPEG, PNG, WebP or GIF as Pillow reads the file's own header (not its name or the
   browser's content type).
3. At most ``AVATAR_MAX_PIXELS``: Pillow's decompression-bomb limit is set to it and its
   warning is raised as an error, so a "tiny file, huge picture" never gets decoded.
4. Decoded (the first frame of an animation), turned upright by its EXIF orientation, cropped
   to a square and resized to ``AVATAR_SIZE`` pixels a side, then re-encoded as WebP. What is
   stored is pixels only: EXIF (GPS included), comments and any bytes appended to the file are
   gone. WebP keeps transparency and is small; every current browser shows it.
5. Stored under a random name, so names reveal nothing and cannot be guessed or collide.
"""

import secrets
import warnings
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import AVATAR_SIZE

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


class AvatarRejected(ValueError):
    """The upload cannot be an avatar; the message says why, for the member to read."""


def make_avatar(upload: UploadedFile) -> ContentFile:
    """The stored form of an uploaded avatar, or :class:`AvatarRejected`."""
    max_bytes = settings.AVATAR_MAX_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise AvatarRejected(
            f"The file is {upload.size / 1_000_000:.1f} MB; avatars may be at most "
            f"{max_bytes / 1_000_000:.1f} MB."
        )
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise AvatarRejected(f"Avatars may be at most {max_bytes / 1_000_000:.1f} MB.")
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
    Image.MAX_IMAGE_PIXELS = max_pixels
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(data)) as image:
                if image.format not in ALLOWED_FORMATS:
                    raise AvatarRejected("Avatars must be JPEG, PNG, WebP or GIF images.")
                if image.width * image.height > max_pixels:
                    raise too_many_pixels
                image.seek(0)
                image.load()
                upright = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise too_many_pixels from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
            if isinstance(error, AvatarRejected):
                raise
            raise AvatarRejected(
                "The file could not be read as an image. It may be damaged or not an image."
            ) from None
    mode = "RGBA" if upright.mode in ("RGBA", "LA", "P", "PA") else "RGB"
    return ImageOps.fit(upright.convert(mode), (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS)
