"""Decoding any accepted avatar adds at most 64 MB to a worker's peak memory.

Each picture is decoded in a fresh process by ``bench/avatar_memory.py``, which reads the
kernel's peak-RSS mark (Pillow allocates in C, where ``tracemalloc`` does not look). This is
a memory figure, not a time, so it holds on a busy machine too.
"""

import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.avatar_memory import WORST_ACCEPTED, WORST_REFUSED, cases, measure

MAX_ADDED = 64_000_000

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/status")


@pytest.fixture(scope="module")
def measured() -> dict[str, dict]:
    """Every worst case measured once, two processes at a time."""
    by_name = {case.name: case for case in cases()}
    names = [*WORST_ACCEPTED, *WORST_REFUSED]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda name: measure(by_name[name].make()), names)
        return dict(zip(names, results, strict=True))


@pytest.mark.parametrize("name", WORST_ACCEPTED)
def test_the_largest_accepted_picture_of_each_kind_adds_at_most_64_mb(measured, name):
    result = measured[name]
    assert result["outcome"] == "accepted"
    assert result["added"] <= MAX_ADDED, f"{name}: {result['added'] / 1e6:.1f} MB"


@pytest.mark.parametrize("name", WORST_REFUSED)
def test_a_picture_too_costly_to_decode_is_refused_before_decoding(measured, name):
    result = measured[name]
    assert result["outcome"].startswith("refused: The picture is too large to process")
    assert result["added"] <= 8_000_000, f"{name}: {result['added'] / 1e6:.1f} MB"
