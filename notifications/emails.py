"""Emailing notifications, in the worker, as each member's preferences say
(``EmailPreferences``): what they want "immediately" goes one email at a time, a short while
after it happens (``NOTIFICATIONS_EMAIL_DELAY_SECONDS``), so a burst goes as one email, and at
most one such email per ``NOTIFICATIONS_EMAIL_MIN_GAP_MINUTES``; what they want "in a daily
digest" waits for ``notifications.digest``. Either way one email lists everything not yet
emailed, and each notification is marked ``emailed_at`` by a conditional UPDATE in the
transaction that queues the email: never in two emails.

No email names a post readers may no longer see, shows anything of a member but their public
name, or goes to an inactive or blocked member, or to one without an address. Each says why it
came and carries a one-click unsubscribe (``List-Unsubscribe``, ``List-Unsubscribe-Post``).
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django_tasks import task

from accounts.models import User
from forum.models import ForumSubscription, Post, Topic, TopicSubscription

from .messages import notification_email
from .models import PREFERENCE_OF_KIND, EmailPreferences, Notification
from .selectors import email_preferences_for

logger = logging.getLogger(__name__)

When = EmailPreferences.When

# An "immediately" email looks this far back for what it has not told yet: a kind switched on
# does not mail old news.
IMMEDIATE_WINDOW = timedelta(days=1)
# The most notifications one email marks as told (the oldest first).
CLAIMED = 1000

# Still worth telling when the email is written: the post is visible, or for "held", the
# member's own post still waits for a moderator (in a topic that is not hidden).
_STILL_SHOWN = Q(
    ~Q(kind=Notification.Kind.HELD),
    post__status=Post.Status.PUBLISHED,
    post__topic__status__in=Topic.VISIBLE_STATUSES,
) | Q(
    kind=Notification.Kind.HELD,
    post__status=Post.Status.PENDING,
    post__topic__status__in=[*Topic.VISIBLE_STATUSES, Topic.Status.PENDING],
)


# Still followed when the email is written: a member who unfollowed a topic (or a forum) since
# hears no more of it.
_STILL_FOLLOWED = (
    ~Q(kind__in=[Notification.Kind.REPLY, Notification.Kind.TOPIC])
    | Q(
        Exists(
            TopicSubscription.objects.filter(
                member_id=OuterRef("recipient_id"), topic_id=OuterRef("post__topic_id")
            )
        ),
        kind=Notification.Kind.REPLY,
    )
    | Q(
        Exists(
            ForumSubscription.objects.filter(
                member_id=OuterRef("recipient_id"), forum_id=OuterRef("post__topic__forum_id")
            )
        ),
        kind=Notification.Kind.TOPIC,
    )
)


def email_soon(*, recipient_ids: list[int], kind: str) -> None:
    """Once the transaction that told ``recipient_ids`` something of ``kind`` commits, queue the
    task that emails those who want that kind immediately (``send_notification_emails``), to
    run ``NOTIFICATIONS_EMAIL_DELAY_SECONDS`` later. Robust: a failure to queue is logged."""
    if not recipient_ids:
        return
    member_ids = list(recipient_ids)

    def queue() -> None:
        emails = send_notification_emails
        delay = settings.NOTIFICATIONS_EMAIL_DELAY_SECONDS
        if delay > 0 and emails.get_backend().supports_defer:
            emails = emails.using(run_after=timezone.now() + timedelta(seconds=delay))
        emails.enqueue(member_ids=member_ids, kind=kind)

    transaction.on_commit(queue, robust=True)


@task()
def send_notification_emails(*, member_ids: list[int], kind: str) -> int:
    """Email each of ``member_ids`` who wants ``kind`` immediately everything they want
    immediately and were not emailed yet, in one email each. A member emailed less than
    ``NOTIFICATIONS_EMAIL_MIN_GAP_MINUTES`` ago waits: they are queued again for when the gap
    has passed, and what gathers meanwhile goes in that one email. (A task backend that cannot
    run a task later, development's, emails at once.) Returns how many emails were queued."""
    preferences = email_preferences_for(member_ids)
    field = PREFERENCE_OF_KIND[kind]
    wanted = [pk for pk in member_ids if getattr(preferences[pk], field) == When.IMMEDIATELY]
    can_wait = send_notification_emails.get_backend().supports_defer
    gap = timedelta(minutes=settings.NOTIFICATIONS_EMAIL_MIN_GAP_MINUTES if can_wait else 0)
    now = timezone.now()
    sent, waiting = 0, []
    for member in emailable_members(wanted):
        outcome = email_pending(
            member,
            kinds=preferences[member.pk].kinds(When.IMMEDIATELY),
            since=now - IMMEDIATE_WINDOW,
            claim=lambda member_id=member.pk: _claim_gap(member_id, gap),
            digest=False,
        )
        sent += outcome == SENT
        if outcome == WAIT:
            waiting.append(member.pk)
    if waiting and can_wait:
        send_notification_emails.using(run_after=now + gap).enqueue(member_ids=waiting, kind=kind)
    return sent


def emailable_members(member_ids: list[int]) -> QuerySet[User]:
    """Those of ``member_ids`` who may be emailed: active, not blocked, with an address."""
    return (
        User.objects.filter(pk__in=member_ids, is_active=True)
        .exclude(role=User.Role.BLOCKED)
        .exclude(email="")
        .only("pk", "username", "display_name", "email")
        .order_by("pk")
    )


SENT, WAIT, NOTHING = "sent", "wait", "nothing"


def email_pending(
    member: User,
    *,
    kinds: list[str],
    since: datetime,
    claim: Callable[[], bool],
    digest: bool,
) -> str:
    """Email ``member`` their notifications of ``kinds`` made since ``since``, not emailed yet
    and still shown, in one email, if ``claim()`` (a conditional UPDATE of their bookkeeping)
    lets this task. The claim, the marks and the queued email are one transaction: a failure
    (logged) leaves everything to the next attempt. Returns ``SENT``, ``WAIT`` (the claim was
    refused) or ``NOTHING``."""
    if not kinds:
        return NOTHING
    pending = (
        Notification.objects.filter(
            recipient=member, emailed_at__isnull=True, kind__in=kinds, created_at__gte=since
        )
        .filter(_STILL_SHOWN)
        .filter(_STILL_FOLLOWED)
        .order_by("created_at", "pk")
    )
    ids = list(pending.values_list("pk", flat=True)[:CLAIMED])
    if not ids:
        return NOTHING
    try:
        with transaction.atomic():
            if not claim():
                return WAIT
            now = timezone.now()
            Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=now)
            claimed = list(
                Notification.objects.filter(pk__in=ids, emailed_at=now)
                .select_related("post__topic__forum", "actor")
                .order_by("created_at", "pk")
            )
            if not claimed:  # another task told them meanwhile
                transaction.set_rollback(True)
                return NOTHING
            notification_email(member, claimed, digest=digest).send()
    except Exception:
        logger.exception("Could not email notifications to member %s", member.pk)
        return NOTHING
    return SENT


def _claim_gap(member_id: int, gap: timedelta) -> bool:
    """Take the member's next "immediately" email, unless one went less than ``gap`` ago."""
    now = timezone.now()
    EmailPreferences.objects.get_or_create(member_id=member_id)
    free = Q(last_emailed_at__isnull=True) | Q(last_emailed_at__lte=now - gap)
    return bool(
        EmailPreferences.objects.filter(free, member_id=member_id).update(last_emailed_at=now)
    )
