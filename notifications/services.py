"""Writing notifications: making them (each kind once per member and post, and their emails
queued for after commit: ``notifications.emails``), reading them, pruning old ones; every
change moves the member's unread count in the same transaction. And members' email
preferences."""

from collections.abc import Iterable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from forum.models import Post, Topic

from .emails import email_soon
from .models import EmailPreferences, Notification


def notification_create(
    *, recipient_id: int, kind: str, post: Post, actor_id: int | None = None
) -> bool:
    """Tell a member about a post, unless they were told this kind about it already
    (a task run twice, an edit that mentions them again): returns whether it was new."""
    try:
        with transaction.atomic():
            Notification.objects.create(
                recipient_id=recipient_id,
                kind=kind,
                post=post,
                actor_id=actor_id,
                created_at=timezone.now(),
            )
            User.objects.filter(pk=recipient_id).update(
                unread_notifications=F("unread_notifications") + 1
            )
            email_soon(recipient_ids=[recipient_id], kind=kind)
    except IntegrityError:  # notification_once_per_post
        return False
    return True


@transaction.atomic
def notifications_create(
    *, recipient_ids: list[int], kind: str, post: Post, actor_id: int | None = None
) -> int:
    """Tell many members about a post at once, each once (those told this kind about it
    already are left out): three statements whatever their number. Returns how many."""
    told = set(
        Notification.objects.filter(
            post=post, kind=kind, recipient_id__in=recipient_ids
        ).values_list("recipient_id", flat=True)
    )
    new = [pk for pk in recipient_ids if pk not in told]
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=kind, post=post, actor_id=actor_id, created_at=now)
        for pk in new
    )
    User.objects.filter(pk__in=new).update(unread_notifications=F("unread_notifications") + 1)
    email_soon(recipient_ids=new, kind=kind)
    return len(new)


@transaction.atomic
def notifications_mark_read(*, member: User, ids: Iterable[int] | None = None) -> int:
    """Mark ``member``'s notifications read: those of ``ids``, or all of them."""
    unread = Notification.objects.filter(recipient=member, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    marked = unread.update(read_at=timezone.now())
    if marked:
        User.objects.filter(pk=member.pk).update(
            unread_notifications=F("unread_notifications") - marked
        )
    return marked


def notifications_forget_hidden(
    *, post_ids: list[int], topic_ids: list[int], author_ids: list[int]
) -> int:
    """Mark read the unread notifications about posts readers may not see now (among those
    posts, the posts of those topics, or of those authors), moving each recipient's count
    with theirs; a post shown again meanwhile keeps its notifications unread. Deleting a post
    (only ever a trashed one) then deletes read notifications alone: the counts stay true."""
    about = Q(post_id__in=post_ids) | Q(post__topic_id__in=topic_ids)
    about |= Q(post__author_id__in=author_ids)
    shown = Q(post__status=Post.Status.PUBLISHED, post__topic__status__in=Topic.VISIBLE_STATUSES)
    hidden = Notification.objects.filter(about, read_at__isnull=True).exclude(shown)
    by_member: dict[int, list[int]] = {}
    for pk, recipient_id in hidden.values_list("pk", "recipient_id"):
        by_member.setdefault(recipient_id, []).append(pk)
    forgotten = 0
    for recipient_id, ids in sorted(by_member.items()):
        with transaction.atomic():
            marked = Notification.objects.filter(pk__in=ids, read_at__isnull=True).update(
                read_at=timezone.now()
            )
            User.objects.filter(pk=recipient_id).update(
                unread_notifications=F("unread_notifications") - marked
            )
        forgotten += marked
    return forgotten


def notifications_prune(*, older_than: timedelta, dry_run: bool = False) -> int:
    """Delete notifications made more than ``older_than`` ago, moving the unread counts of
    the members whose unread ones go; returns how many went."""
    before = timezone.now() - older_than
    old = Notification.objects.filter(created_at__lt=before)
    if dry_run:
        return old.count()
    with transaction.atomic():
        unread_by_member: dict[int, int] = {}
        for recipient_id in old.filter(read_at__isnull=True).values_list("recipient_id", flat=True):
            unread_by_member[recipient_id] = unread_by_member.get(recipient_id, 0) + 1
        deleted, _ = old.delete()
        for recipient_id, count in sorted(unread_by_member.items()):
            User.objects.filter(pk=recipient_id).update(
                unread_notifications=F("unread_notifications") - count
            )
    return deleted


def unread_counts_repair(*, dry_run: bool = False) -> int:
    """Set every member's ``unread_notifications`` that differs from their unread rows (it
    never should: each change moves it in its transaction); returns how many were wrong."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    expected = Coalesce(Subquery(unread), 0)
    wrong = User.objects.alias(expected=expected).exclude(unread_notifications=F("expected"))
    if dry_run:
        return wrong.count()
    return wrong.update(unread_notifications=expected)


@transaction.atomic
def email_preferences_update(
    *, member: User, choices: dict[str, str], subscribe_on_reply: bool | None = None
) -> EmailPreferences:
    """Set ``member``'s email preferences (``choices``: field to ``When`` value; fields not
    named keep theirs), and whether replying subscribes them to the topic."""
    unknown = set(choices) - set(EmailPreferences.ABOUT)
    if unknown:
        raise ValueError(f"Not email preferences: {sorted(unknown)}")
    preferences, _ = EmailPreferences.objects.select_for_update().get_or_create(member=member)
    for field, when in choices.items():
        setattr(preferences, field, EmailPreferences.When(when))
    preferences.save(update_fields=list(choices) or None)
    if subscribe_on_reply is not None:
        User.objects.filter(pk=member.pk).update(subscribe_on_reply=subscribe_on_reply)
        member.subscribe_on_reply = subscribe_on_reply
    return preferences
