"""Dates as bbPress writes them: "3 years, 3 months" ago, and "August 16, 2023 at 11:34 am".

A "… ago" text is only true until the clock moves it on ("5 minutes ago" becomes "6 minutes
ago"). :func:`text_changes` lets a caller learn, of every such text written while it is open,
how soon the first one goes out of date: the page cache keeps a page exactly that long.
"""

import contextlib
import math
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime

from django.utils import timezone

_UNITS = (
    ("year", 365 * 24 * 3600),
    ("month", 30 * 24 * 3600),
    ("week", 7 * 24 * 3600),
    ("day", 24 * 3600),
    ("hour", 3600),
    ("minute", 60),
    ("second", 1),
)
_HOUR_INDEX = 4


class TextChanges:
    """The soonest moment (a Unix timestamp) at which a text written so far would read
    differently; ``math.inf`` while no "… ago" text has been written."""

    def __init__(self) -> None:
        self.at = math.inf

    def note(self, moment: float) -> None:
        self.at = min(self.at, moment)


_text_changes: ContextVar[TextChanges | None] = ContextVar("text_changes", default=None)


@contextlib.contextmanager
def text_changes() -> Iterator[TextChanges]:
    """Collect how long the "… ago" texts written inside the block stay true."""
    changes = TextChanges()
    token = _text_changes.set(changes)
    try:
        yield changes
    finally:
        _text_changes.reset(token)


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"


def bbp_time_since(then: datetime, now: datetime | None = None) -> str:
    """ "3 years, 3 months ago": the largest unit, plus the next one down when the first is
    an hour or longer. Zero (or a time in the future) is "right now", as in bbPress's
    ``bbp_time_since()``.
    """
    since = int(((now or timezone.now()) - then).total_seconds())
    changes = _text_changes.get()
    if changes is not None:
        changes.note(then.timestamp() + _next_change(since))
    if since <= 0:
        return "right now"
    index = next(i for i, (_, seconds) in enumerate(_UNITS) if since >= seconds)
    unit, seconds = _UNITS[index]
    count = since // seconds
    text = _count(count, unit)
    if index <= _HOUR_INDEX:
        next_unit, next_seconds = _UNITS[index + 1]
        next_count = (since - count * seconds) // next_seconds
        if next_count:
            text += ", " + _count(next_count, next_unit)
    return f"{text} ago"


def _next_change(since: int) -> int:
    """The first whole number of seconds after ``since`` whose text differs from its text."""
    if since <= 0:
        return 1
    index = next(i for i, (_, seconds) in enumerate(_UNITS) if since >= seconds)
    seconds = _UNITS[index][1]
    count = since // seconds
    candidates = [(count + 1) * seconds]  # the count of the largest unit moves on
    if index > 0:
        candidates.append(_UNITS[index - 1][1])  # a larger unit takes over
    if index <= _HOUR_INDEX:
        next_seconds = _UNITS[index + 1][1]
        shown = (since - count * seconds) // next_seconds
        candidates.append(count * seconds + (shown + 1) * next_seconds)  # the second part moves
    return min(candidate for candidate in candidates if candidate > since)


def bbp_post_date(moment: datetime) -> str:
    """ "August 16, 2023 at 11:34 am", in the site's time zone."""
    local = timezone.localtime(moment)
    hour = local.hour % 12 or 12
    meridiem = "am" if local.hour < 12 else "pm"
    return f"{local:%B} {local.day}, {local.year} at {hour}:{local.minute:02d} {meridiem}"


def machine_date(moment: datetime) -> str:
    """``moment`` as a ``<time datetime>`` takes it: ISO 8601 to the second, in UTC
    ("2023-08-16T11:34:05+00:00"); HTML allows at most three digits of a fraction."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")
