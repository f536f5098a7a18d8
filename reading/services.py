"""Writes of unread tracking: recording what a member was shown, and "mark all as read".

Marks and rows only ever move later (a write that would move one back changes nothing), and
each write deletes the rows it makes redundant, so what a member keeps stays small however
much they read (``reading.models``).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts.models import User
from forum.models import Forum, Topic

from .models import ReadMark, TopicRead
from .selectors import marks_and_reads, reading_floor, unread_topics, watermark


def topic_read_record(*, member: User, topic: Topic, read_through: datetime) -> None:
    """Record that ``member`` has read ``topic`` up to the post written at ``read_through``.

    No query when the page is older than the floor, one when it is nothing new (a page
    read again, or older than the member's marks). Else, when the topic is read to its end
    and nothing else in its forum is left unread (:func:`_rest_of_forum_read`), the forum is
    marked read up to its last post and the member's rows there, which the mark covers,
    deleted: a thorough reader keeps no rows at all. Otherwise the topic's row moves
    forward.
    """
    floor = reading_floor(member)
    if read_through <= floor:
        return  # older than the member's joining or the tracking window: read already
    marks, reads = marks_and_reads(member, [topic.pk])
    if read_through <= watermark(floor, marks, reads, forum_id=topic.forum_id, topic_id=topic.pk):
        return
    forum = topic.forum
    if (
        read_through >= topic.last_active_at
        and forum.last_active_at is not None
        and _rest_of_forum_read(
            member, topic, since=watermark(floor, marks, reads, forum_id=forum.pk)
        )
    ):
        _forum_mark(
            member=member, forum_ids=[forum.pk], up_to=max(forum.last_active_at, read_through)
        )
        return
    if topic.pk not in reads:
        TopicRead.objects.bulk_create(
            [TopicRead(member=member, topic=topic, read_through=read_through)],
            ignore_conflicts=True,
        )
    # After an insert too: the same topic open in two tabs may have written the row first,
    # and the further of the two is kept.
    TopicRead.objects.filter(member=member, topic=topic, read_through__lt=read_through).update(
        read_through=read_through
    )


# How many other topics active since a forum's mark reading a topic there looks at to see
# whether the forum is now read to its end; past that many it does not look (and a row is
# written): the cost of reading a page stays the same however much the member has read.
FORUM_READ_CHECK_TOPICS = 50


def _rest_of_forum_read(member: User, topic: Topic, *, since: datetime) -> bool:
    """Whether every topic of ``topic``'s forum but it, active after ``since``, is read:
    at most two queries, each over at most :data:`FORUM_READ_CHECK_TOPICS` topics."""
    others = list(
        Topic.objects.filter(
            forum_id=topic.forum_id,
            status__in=Topic.VISIBLE_STATUSES,
            last_active_at__gt=since,
        )
        .exclude(pk=topic.pk)
        .order_by()
        .values_list("pk", flat=True)[: FORUM_READ_CHECK_TOPICS + 1]
    )
    if len(others) > FORUM_READ_CHECK_TOPICS:
        return False
    return not others or not unread_topics(member, since=since).filter(pk__in=others).exists()


@transaction.atomic
def forum_mark_read(*, member: User, forum_ids: list[int]) -> None:
    """Mark all as read in the forums ``forum_ids``: everything posted there until now is
    read for ``member``."""
    _forum_mark(member=member, forum_ids=forum_ids, up_to=timezone.now())


def _forum_mark(*, member: User, forum_ids: list[int], up_to: datetime) -> None:
    """Mark everything in ``forum_ids`` posted up to ``up_to`` read for ``member``, and
    delete their rows for topics there that the mark covers."""
    _mark_set(member=member, forum_ids=forum_ids, up_to=up_to)
    TopicRead.objects.filter(
        member=member, topic__forum_id__in=forum_ids, read_through__lte=up_to
    ).delete()


@transaction.atomic
def site_mark_read(*, member: User) -> None:
    """Mark all as read on the whole site: everything posted until now is read for ``member``;
    their forum marks and topic rows, all covered by it, are deleted."""
    now = timezone.now()
    _mark_set(member=member, forum_ids=[None], up_to=now)
    ReadMark.objects.filter(member=member, forum__isnull=False, marked_at__lte=now).delete()
    TopicRead.objects.filter(member=member, read_through__lte=now).delete()


def _mark_set(*, member: User, forum_ids: list[int | None], up_to: datetime) -> None:
    """Move the member's marks (``None``: the site's) forward to ``up_to``, making them."""
    for forum_id in forum_ids:
        marks = ReadMark.objects.filter(member=member, forum_id=forum_id)  # None: IS NULL
        if not marks.update(marked_at=Greatest(F("marked_at"), up_to)):
            ReadMark.objects.bulk_create(
                [ReadMark(member=member, forum_id=forum_id, marked_at=up_to)],
                ignore_conflicts=True,
            )
            # Another request may have made it first: the later of the two is kept.
            marks.filter(marked_at__lt=up_to).update(marked_at=up_to)


def forum_and_below(forum: Forum) -> list[int]:
    """``forum``'s id and those of the forums below it (marking a forum read marks them)."""
    children_of: dict[int | None, list[int]] = {}
    for forum_id, parent_id in Forum.objects.values_list("pk", "parent_id"):
        children_of.setdefault(parent_id, []).append(forum_id)
    found, queue = [], [forum.pk]
    while queue:
        forum_id = queue.pop()
        if forum_id in found:
            continue  # a parent loop made in the admin
        found.append(forum_id)
        queue.extend(children_of.get(forum_id, ()))
    return found


def read_tracking_prune(*, dry_run: bool = False) -> tuple[int, int]:
    """Delete the marks and rows older than ``UNREAD_TRACKING_DAYS``, which say nothing the
    floor does not (everything that old counts as read). Returns (marks, rows) deleted, or
    that would be."""
    kept_from = timezone.now() - timedelta(days=settings.UNREAD_TRACKING_DAYS)
    marks = ReadMark.objects.filter(marked_at__lt=kept_from)
    rows = TopicRead.objects.filter(read_through__lt=kept_from)
    if dry_run:
        return marks.count(), rows.count()
    with transaction.atomic():
        return marks.delete()[0], rows.delete()[0]
