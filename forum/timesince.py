"""Dates as bbPress writes them: "3 years, 3 months" ago, and "August 16, 2023 at 11:34 am"."""

from datetime import datetime

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


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"


def bbp_time_since(then: datetime, now: datetime | None = None) -> str:
    """ "3 years, 3 months ago": the largest unit, plus the next one down when the first is
    an hour or longer. Zero (or a time in the future) is "right now", as in bbPress's
    ``bbp_time_since()``.
    """
    since = int(((now or timezone.now()) - then).total_seconds())
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


def bbp_post_date(moment: datetime) -> str:
    """ "August 16, 2023 at 11:34 am", in the site's time zone."""
    local = timezone.localtime(moment)
    hour = local.hour % 12 or 12
    meridiem = "am" if local.hour < 12 else "pm"
    return f"{local:%B} {local.day}, {local.year} at {hour}:{local.minute:02d} {meridiem}"
