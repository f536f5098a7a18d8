"""The daily digest: one email per member per day listing what they want to hear of "in a daily
digest" (by default, new topics in the forums they follow) and were not emailed yet.

``manage.py send_digests``, run daily by the ``forum-digests`` systemd timer, queues
:func:`send_digests` for the worker, one task per ``DIGEST_BATCH`` members who have
notifications not yet emailed. django-tasks has no schedule of its own, and the timer is how
the site runs its other daily jobs. However often it runs, a member gets one digest a day (the
day is claimed by a conditional UPDATE of ``EmailPreferences.last_digest_at``), and a
notification is never in two emails (``Notification.emailed_at``).
"""

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import task

from .emails import SENT, email_pending, emailable_members
from .models import EmailPreferences, Notification
from .selectors import email_preferences_for

DIGEST_BATCH = 500
# A digest looks this far back for what it has not told: a timer that missed days loses
# nothing recent, and a kind switched to the digest does not mail old news.
DIGEST_WINDOW = timedelta(days=7)


def digest_batches(*, now: datetime | None = None) -> Iterator[list[int]]:
    """The ids of the members with notifications not yet emailed (made in the last
    ``DIGEST_WINDOW``), ``DIGEST_BATCH`` at a time, in order: bounded memory however many."""
    since = (now or timezone.now()) - DIGEST_WINDOW
    recipients = (
        Notification.objects.filter(emailed_at__isnull=True, created_at__gte=since)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    after = 0
    while batch := list(recipients.filter(recipient_id__gt=after)[:DIGEST_BATCH]):
        yield batch
        after = batch[-1]


@task()
def send_digests(*, member_ids: list[int]) -> int:
    """Send today's digest to each of ``member_ids`` who wants one and has something in it
    not yet emailed (and has not had today's). Returns how many were queued."""
    now = timezone.now()
    preferences = email_preferences_for(member_ids)
    sent = 0
    for member in emailable_members(member_ids):
        outcome = email_pending(
            member,
            kinds=preferences[member.pk].kinds(EmailPreferences.When.DIGEST),
            since=now - DIGEST_WINDOW,
            claim=lambda member_id=member.pk: _claim_today(member_id),
            digest=True,
        )
        sent += outcome == SENT
    return sent


def _claim_today(member_id: int) -> bool:
    """Take the member's digest for today (the site's ``TIME_ZONE``), unless it went already."""
    now = timezone.now()
    start_of_day = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    EmailPreferences.objects.get_or_create(member_id=member_id)
    return bool(
        EmailPreferences.objects.filter(member_id=member_id)
        .exclude(last_digest_at__gte=start_of_day)
        .update(last_digest_at=now)
    )
