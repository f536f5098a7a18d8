"""Reads of unread tracking: the markers of a list (one query whatever its length), how far
a member has read a topic, and the first post they have not read.

A topic is unread when its last post (``Topic.last_active_at``) is newer than its
*watermark* for the member: the latest of the floor (``reading_floor``), their site-wide and
forum marks and their row for the topic (``reading.models``).
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Q, Value
from django.utils import timezone

from accounts.models import User
from forum.models import Forum, Post, Topic
from forum.rows import ForumListRow, TopicListRow, url_format

from .models import ReadMark, TopicRead


def reading_floor(member: User) -> datetime:
    """Before this, everything counts as read for ``member``: posts older than
    ``UNREAD_TRACKING_DAYS``, and the history of the forum before they joined."""
    kept = timezone.now() - timedelta(days=settings.UNREAD_TRACKING_DAYS)
    return max(kept, member.date_joined)


def marks_and_reads(member: User, topic_ids: list[int]) -> tuple[dict, dict[int, datetime]]:
    """The member's read marks (by forum id, ``None`` for the site) and their rows for
    ``topic_ids``: one query, each part a lookup on a unique index."""
    marks = ReadMark.objects.filter(member=member).values_list(
        Value("mark"), "forum_id", "marked_at"
    )
    reads = TopicRead.objects.filter(member=member, topic_id__in=topic_ids).values_list(
        Value("read"), "topic_id", "read_through"
    )
    by_forum: dict[int | None, datetime] = {}
    by_topic: dict[int, datetime] = {}
    for kind, key, at in marks.union(reads, all=True):
        (by_forum if kind == "mark" else by_topic)[key] = at
    return by_forum, by_topic


def watermark(
    floor: datetime,
    marks: dict[int | None, datetime],
    reads: dict[int, datetime],
    *,
    forum_id: int,
    topic_id: int | None = None,
) -> datetime:
    """Everything written up to this time in the forum (and the topic, if given) is read:
    the latest of the floor, the site and forum marks and the topic's row
    (:func:`marks_and_reads` gives ``marks`` and ``reads``)."""
    return max(
        floor,
        marks.get(None, floor),
        marks.get(forum_id, floor),
        reads.get(topic_id, floor) if topic_id is not None else floor,
    )


def topic_watermark(member: User, topic: Topic) -> datetime:
    """Everything in ``topic`` written up to this time is read by ``member``: one query."""
    marks, reads = marks_and_reads(member, [topic.pk])
    return watermark(
        reading_floor(member), marks, reads, forum_id=topic.forum_id, topic_id=topic.pk
    )


def mark_unread_topics(member: User, rows: Iterable[TopicListRow]) -> None:
    """Set ``unread_url`` on the rows of topics with posts ``member`` has not read: one
    query for the whole list, none when every topic on it is older than the floor."""
    rows = list(rows)
    floor = reading_floor(member)
    recent = [row for row in rows if row["last_active_at"] > floor]
    if not recent:
        return
    marks, reads = marks_and_reads(member, [row["id"] for row in recent])
    unread_url = url_format("reading:topic_unread", slug="_")
    for row in recent:
        read_up_to = watermark(floor, marks, reads, forum_id=row["forum_id"], topic_id=row["id"])
        if row["last_active_at"] > read_up_to:
            row["unread_url"] = unread_url.format(row["slug"])


def unread_topics(member: User, *, since: datetime):
    """The visible topics with a post newer than ``member``'s watermark; ``since`` is where
    to start looking (:func:`reading_floor`, or a mark known to be later)."""
    site_or_forum_mark = ReadMark.objects.filter(
        Q(forum__isnull=True) | Q(forum_id=OuterRef("forum_id")),
        member=member,
        marked_at__gte=OuterRef("last_active_at"),
    )
    read = TopicRead.objects.filter(
        member=member, topic_id=OuterRef("pk"), read_through__gte=OuterRef("last_active_at")
    )
    return (
        Topic.objects.filter(
            status__in=Topic.VISIBLE_STATUSES,
            last_active_at__gt=since,
        )
        .exclude(Exists(site_or_forum_mark))
        .exclude(Exists(read))
    )


# How deep into a forum's list the marker looks: its first two pages of 25.
FORUM_MARKER_TOPICS = 50

# The forum markers' query: the forums (among those given) where one of the first topics of
# their list (in the list's order, along its index) is newer than the member's marks and
# rows. Written out: the ORM cannot take the top of a list per forum without a subquery
# that the databases run again for every topic.
_FORUMS_HOLDING_UNREAD_SQL = (
    "SELECT f.id"  # noqa: S608 (table names from the models, values as parameters)
    f" FROM {Forum._meta.db_table} f WHERE f.id IN ({{forum_ids}}) AND EXISTS ("
    " SELECT 1 FROM ("
    f"  SELECT t.id, t.last_active_at FROM {Topic._meta.db_table} t"
    "  WHERE t.forum_id = f.id AND t.status IN (%s, %s)"
    f"  ORDER BY t.pin DESC, t.last_active_at DESC, t.id DESC LIMIT {FORUM_MARKER_TOPICS}"
    " ) top WHERE top.last_active_at > %s"
    f" AND NOT EXISTS (SELECT 1 FROM {ReadMark._meta.db_table} m WHERE m.member_id = %s"
    "  AND (m.forum_id IS NULL OR m.forum_id = f.id) AND m.marked_at >= top.last_active_at)"
    f" AND NOT EXISTS (SELECT 1 FROM {TopicRead._meta.db_table} r WHERE r.member_id = %s"
    "  AND r.topic_id = top.id AND r.read_through >= top.last_active_at))"
)


def mark_unread_forums(member: User, rows: Iterable[ForumListRow]) -> None:
    """Set ``unread`` on the rows of forums (with the forums below them) where one of the
    first :data:`FORUM_MARKER_TOPICS` topics of the forum's own list (stickies first, then
    by last post) has posts ``member`` has not read.

    One query, none when no forum listed was active since the floor; each forum costs at
    most that many steps along its list's index, however much the member has read. (A
    topic further down still shows on the forum's pages; "Mark all as read" clears it.)
    """
    rows = list(rows)
    floor = reading_floor(member)
    candidates = sorted(
        {
            forum_id
            for row in rows
            for forum_id, active_at in row["forums"].items()
            if active_at is not None and active_at > floor
        }
    )
    if not candidates:
        return
    floor_value = connection.ops.adapt_datetimefield_value(floor)
    sql = _FORUMS_HOLDING_UNREAD_SQL.format(forum_ids=", ".join(["%s"] * len(candidates)))
    params = [*candidates, *Topic.VISIBLE_STATUSES, floor_value, member.pk, member.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        holding_unread = {forum_id for (forum_id,) in cursor.fetchall()}
    for row in rows:
        row["unread"] = not holding_unread.isdisjoint(row["forums"])


def first_unread_post(member: User, topic: Topic) -> Post | None:
    """The first published post of ``topic`` that ``member`` has not read (two queries), or
    ``None`` when they have read them all."""
    return (
        Post.objects.published()
        .filter(topic=topic, created_at__gt=topic_watermark(member, topic))
        .select_related("topic")
        .in_thread_order()
        .first()
    )
