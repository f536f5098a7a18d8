"""Peak memory an avatar upload adds to a worker, for the worst pictures of each format.

Each case is made here, written to a file, and handed to a fresh Python process that loads
Django and the avatar pipeline, warms the pipeline up on a small picture of the same format,
resets the kernel's peak-RSS mark, runs ``make_avatar`` once and reports how far the peak
rose above the resident size it started from. Pillow and its codecs allocate in C, outside
``tracemalloc``, so only the process's resident memory tells the truth.

    .venv/bin/python bench/avatar_memory.py            # every case
    .venv/bin/python bench/avatar_memory.py png-rgba-at-cap webp-tiny-at-cap

``tests/accounts/test_avatar_memory.py`` runs the worst cases the same way and holds each to
the budget in ``docs/performance.md``.
"""

import argparse
import json
import math
import os
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Linux's /proc/self/status: resident size now and its high-water mark, in kB.
STATUS = Path("/proc/self/status")
# The largest square under the default AVATAR_MAX_PIXELS (40 million): 6,300 × 6,300.
CAP_SIDE = 6_300


@dataclass(frozen=True)
class Case:
    """One picture: ``mode`` and ``size`` made with Pillow and saved as ``fmt`` with ``save``
    (``fmt`` "WEBP-TINY" is :func:`tiny_lossless_webp`)."""

    name: str
    describe: str
    mode: str
    size: tuple[int, int]
    fmt: str
    save: dict = field(default_factory=dict)

    def make(self) -> bytes:
        if self.fmt == "WEBP-TINY":
            return tiny_lossless_webp(*self.size)
        return encode(self.mode, self.size, self.fmt, **self.save)


def encode(mode: str, size: tuple[int, int], fmt: str, **save) -> bytes:
    from PIL import Image

    buffer = BytesIO()
    Image.new(mode, size).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def tiny_lossless_webp(width: int, height: int) -> bytes:
    """A lossless WebP of one opaque black colour in 30 bytes, whatever its size.

    Five one-symbol prefix codes cost no bits per pixel, so the file is its headers.
    """
    bits: list[int] = []

    def put(value: int, count: int) -> None:
        bits.extend((value >> i) & 1 for i in range(count))

    put(width - 1, 14)
    put(height - 1, 14)
    put(0, 4)  # no alpha hint, version 0
    put(0, 3)  # no transform, no colour cache, no meta prefix codes
    for _green_red_blue in range(3):
        put(0b0001, 4)  # simple code, one symbol, 1-bit symbol 0
    put(0b101, 3)  # simple code, one symbol, 8-bit symbol…
    put(255, 8)  # …opaque alpha
    put(0b0001, 4)  # distance code
    bits.extend([0] * (-len(bits) % 8))
    payload = b"\x2f" + bytes(
        sum(bit << i for i, bit in enumerate(bits[k : k + 8])) for k in range(0, len(bits), 8)
    )
    payload += b"\0" * (len(payload) % 2)
    chunk = b"VP8L" + struct.pack("<I", len(payload)) + payload
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def _square_at_budget(bytes_per_pixel: float, multiple: int = 1) -> tuple[int, int]:
    """The largest square (its side a multiple of ``multiple``) whose decoding the avatar
    pipeline expects to cost at most its budget."""
    from accounts.avatars import DECODE_BUDGET

    side = math.isqrt(int(DECODE_BUDGET / bytes_per_pixel)) // multiple * multiple
    return (side, side)


def cases() -> list[Case]:
    """Each format's worst pictures: at the pixel cap, and the largest the memory budget lets
    through. Needs Django's settings (the budget lives in ``accounts.avatars``)."""
    from accounts.avatars import DECODE_BUDGET, WEBP_BYTES_PER_PIXEL

    cap = (CAP_SIDE, CAP_SIDE)
    # A baseline JPEG under 320 pixels wide cannot be drafted smaller: it decodes in full.
    narrow_jpeg = (319, DECODE_BUDGET // (319 * 4))
    # The pixel cap in a JPEG that its draft scale can only halve.
    tall_jpeg = (639, 62_597)
    progressive = {"quality": 10, "progressive": True}
    # JPEG costs a pixel: 2 bytes a coefficient for each component sample, and the picture
    # decoded at 1/8 scale (4 bytes a pixel / 64).
    at_1_8 = 4 / 64
    return [
        Case("png-rgba-at-cap", "PNG RGBA 6,300²", "RGBA", cap, "PNG"),
        Case("png-rgb-at-cap", "PNG RGB 6,300²", "RGB", cap, "PNG"),
        Case("png-grey-alpha-at-cap", "PNG grey and alpha 6,300²", "LA", cap, "PNG"),
        Case("png-grey16-at-cap", "PNG 16-bit grey 6,300²", "I;16", cap, "PNG"),
        Case("png-palette-at-cap", "PNG palette 6,300²", "P", cap, "PNG"),
        Case(
            "png-palette-transparent-at-cap",
            "PNG palette with a transparent colour 6,300²",
            "P", cap, "PNG", {"transparency": 0},
        ),
        Case("gif-at-cap", "GIF 6,300²", "P", cap, "GIF"),
        Case(
            "gif-transparent-at-cap",
            "GIF with a transparent colour 6,300²",
            "P", cap, "GIF", {"transparency": 0},
        ),
        Case("webp-tiny-at-cap", "lossless WebP 6,300² in 30 bytes", "RGB", cap, "WEBP-TINY"),
        Case(
            "webp-rgba-at-cap", "lossless WebP RGBA 6,300²", "RGBA", cap, "WEBP",
            {"lossless": True},
        ),
        Case("jpeg-at-cap", "baseline JPEG 6,300²", "RGB", cap, "JPEG", {"quality": 10}),
        Case(
            "jpeg-progressive-at-cap", "progressive JPEG 6,300², 4:2:0", "RGB", cap, "JPEG",
            progressive,
        ),
        Case(
            "jpeg-progressive-444-at-cap", "progressive JPEG 6,300², 4:4:4", "RGB", cap, "JPEG",
            {**progressive, "subsampling": 0},
        ),
        Case(
            "jpeg-progressive-cmyk-at-cap", "progressive CMYK JPEG 6,300²", "CMYK", cap, "JPEG",
            progressive,
        ),
        Case(
            "jpeg-tall-at-cap", "baseline JPEG 639 × 62,597", "RGB", tall_jpeg, "JPEG",
            {"quality": 10},
        ),
        # The largest pictures the memory budget accepts (palette PNGs and GIFs, one byte a
        # pixel, meet the pixel cap first, and so does a baseline JPEG drafted to 1/2).
        Case(
            "png-rgba-at-budget", "PNG RGBA, 4 bytes a pixel", "RGBA", _square_at_budget(4),
            "PNG",
        ),
        Case(
            "png-grey16-at-budget", "PNG 16-bit grey, 2 bytes a pixel", "I;16",
            _square_at_budget(2), "PNG",
        ),
        Case(
            "webp-rgba-at-budget", "lossless WebP RGBA", "RGBA",
            _square_at_budget(WEBP_BYTES_PER_PIXEL), "WEBP", {"lossless": True},
        ),
        Case(
            "webp-lossy-at-budget", "lossy WebP", "RGB", _square_at_budget(WEBP_BYTES_PER_PIXEL),
            "WEBP", {"quality": 80},
        ),
        Case(
            "jpeg-progressive-at-budget", "progressive JPEG, 4:2:0", "RGB",
            _square_at_budget(3 + at_1_8, 16), "JPEG", progressive,
        ),
        Case(
            "jpeg-progressive-cmyk-at-budget", "progressive CMYK JPEG", "CMYK",
            _square_at_budget(8 + at_1_8, 8), "JPEG", progressive,
        ),
        Case(
            "jpeg-narrow-at-budget", "baseline JPEG 319 pixels wide, not drafted", "RGB",
            narrow_jpeg, "JPEG", {"quality": 10},
        ),
    ]  # fmt: skip


# The worst accepted picture of each kind, which tests/accounts/test_avatar_memory.py holds
# to the 64 MB a decode may add.
WORST_ACCEPTED = (
    "png-rgba-at-budget",
    "png-palette-transparent-at-cap",
    "gif-transparent-at-cap",
    "webp-rgba-at-budget",
    "jpeg-progressive-cmyk-at-budget",
    "jpeg-narrow-at-budget",
)
# What used to cost the most, now refused from the header: refusing must decode nothing.
WORST_REFUSED = ("png-rgba-at-cap", "webp-tiny-at-cap", "jpeg-progressive-cmyk-at-cap")


def measure(data: bytes, *, timeout: float = 60) -> dict:
    """Run ``make_avatar`` on ``data`` in a fresh process: the peak RSS it added, in bytes,
    and whether the picture was accepted (or the member's message if it was refused)."""
    with tempfile.NamedTemporaryFile(suffix=".upload") as upload:
        upload.write(data)
        upload.flush()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
        child = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", upload.name],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=timeout,
            check=False,
        )
    if child.returncode:
        raise RuntimeError(f"the measuring process failed:\n{child.stderr}")
    return json.loads(child.stdout.splitlines()[-1])


def _status_kb(field: str) -> int:
    for line in STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def _child(path: str) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from accounts.avatars import AvatarRejected, make_avatar

    data = Path(path).read_bytes()
    with Image.open(BytesIO(data)) as header:
        fmt, mode, size = header.format, header.mode, header.size
    # Warm up: load the decoder, the resampler and the WebP encoder once, on a small picture.
    make_avatar(SimpleUploadedFile("warm", encode(mode, (400, 300), fmt)))
    upload = SimpleUploadedFile("upload", data)
    Path("/proc/self/clear_refs").write_text("5")  # reset the high-water mark to the RSS now
    before = _status_kb("VmRSS")
    try:
        make_avatar(upload)
        outcome = "accepted"
    except AvatarRejected as rejected:
        outcome = f"refused: {rejected}"
    added = max(0, _status_kb("VmHWM") - before) * 1024
    print(
        json.dumps({"format": fmt, "mode": mode, "size": size, "added": added, "outcome": outcome})
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    by_name = {case.name: case for case in cases()}
    print("| case | picture | pixels | file bytes | outcome | peak RSS added |")
    print("|---|---|---:|---:|---|---:|")
    for name in args.cases or by_name:
        case = by_name[name]
        data = case.make()
        result = measure(data)
        outcome = "accepted" if result["outcome"] == "accepted" else "refused"
        width, height = case.size
        print(
            f"| `{name}` | {case.describe} | {width:,} × {height:,} | {len(data):,} | {outcome} "
            f"| {result['added'] / 1_000_000:.1f} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
