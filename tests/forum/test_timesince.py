"""bbPress's time-since and post-date wording."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from forum.timesince import bbp_post_date, bbp_time_since

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
MINUTE, HOUR, DAY = 60, 3600, 86400


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, "right now"),
        (-30, "right now"),
        (1, "1 second ago"),
        (59, "59 seconds ago"),
        (60, "1 minute ago"),
        (5 * MINUTE + 30, "5 minutes ago"),
        (HOUR, "1 hour ago"),
        (HOUR + MINUTE, "1 hour, 1 minute ago"),
        (2 * HOUR + 5 * MINUTE + 9, "2 hours, 5 minutes ago"),
        (DAY, "1 day ago"),
        (3 * DAY + 4 * HOUR, "3 days, 4 hours ago"),
        (17 * DAY, "2 weeks, 3 days ago"),
        (14 * DAY + 5 * HOUR, "2 weeks ago"),
        (30 * DAY, "1 month ago"),
        (65 * DAY, "2 months ago"),
        (75 * DAY, "2 months, 2 weeks ago"),
        (365 * DAY, "1 year ago"),
        (365 * DAY + 6 * 30 * DAY, "1 year, 6 months ago"),
        (2 * 365 * DAY + 8 * DAY, "2 years ago"),
    ],
)
def test_time_since_uses_largest_unit_and_next_one_from_hours_up(seconds, expected):
    assert bbp_time_since(NOW - timedelta(seconds=seconds), now=NOW) == expected


def test_time_since_of_the_seeded_guide_in_late_2026():
    posted = datetime(2023, 8, 16, 11, 34, tzinfo=UTC)
    assert bbp_time_since(posted, now=NOW) == "3 years, 3 months ago"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2023, 8, 16, 11, 34, tzinfo=UTC), "August 16, 2023 at 11:34 am"),
        (datetime(2023, 8, 16, 0, 5, tzinfo=UTC), "August 16, 2023 at 12:05 am"),
        (datetime(2023, 8, 16, 12, 0, tzinfo=UTC), "August 16, 2023 at 12:00 pm"),
        (datetime(2024, 1, 2, 23, 59, tzinfo=UTC), "January 2, 2024 at 11:59 pm"),
    ],
)
def test_post_date_reads_like_bbpress(moment, expected):
    assert bbp_post_date(moment) == expected


@override_settings(TIME_ZONE="America/New_York")
def test_post_date_is_in_the_site_time_zone():
    assert bbp_post_date(datetime(2023, 8, 16, 15, 34, tzinfo=UTC)) == "August 16, 2023 at 11:34 am"
