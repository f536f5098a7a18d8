"""Recompute every denormalised counter from the rows it counts.

Counters should never drift (services move them atomically), but a bug, a manual SQL fix or a
restore can leave them wrong; this finds and repairs that, and changes nothing when all is well.

A full recount (``recount_all``) walks the topics, then which of their posts are listed as
replies (``Post.listed_as_reply``), then the forums, then the members (their Topics Started
and Replies Created), then the tags (their visible topics), in batches by primary key: each
batch locks its rows, reads their true values in a few grouped queries, and writes only the
rows that were wrong, one small UPDATE a row, in its own short transaction. So memory, lock time
and the longest statement depend on the batch size, not on the size of the forum.
"""

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F, Max, Model, OuterRef, Q, QuerySet, Subquery

from accounts.models import User

from . import member_counters, page_cache, tagging
from .models import Forum, Post, Tag, Topic

PUBLISHED = Post.Status.PUBLISHED
# Topics a batch: a few thousand keeps a batch well under a second on both databases.
BATCH_SIZE = 2_000
# Forums a batch: each forum's aggregate reads all its posts, so fewer at a time.
FORUM_BATCH_SIZE = 100
# Members a batch: two grouped counts over their posts, so a batch reads its members' posts.
MEMBER_BATCH_SIZE = 1_000
# Fixes ``recount_all`` keeps to return; the totals count them all.
SAMPLE_SIZE = 1_000

TOPIC_FIELDS = [
    "first_post",
    "last_post",
    "reply_count",
    "hidden_reply_count",
    "voice_count",
    "last_active_at",
]
FORUM_FIELDS = ["topic_count", "post_count", "last_post", "last_active_at"]
# The members' counters this room moves (``User.COUNTERS`` holds others' too).
MEMBER_FIELDS = ["topic_count", "reply_count"]


@dataclass(frozen=True)
class Fix:
    """One counter that was wrong: where, which field, what it said and what it should say."""

    label: str
    field: str
    was: object
    now: object

    def __str__(self) -> str:
        return f"{self.label}: {self.field} {self.was!r} -> {self.now!r}"


@dataclass(frozen=True)
class Progress:
    """Where a full recount is, reported after each batch."""

    stage: str  # "topics", "forums" or "members"
    batches_done: int
    batches_total: int
    rows_checked: int
    rows_fixed: int
    fixes: int
    seconds: float
    batch_fixes: list[Fix]


class RecountResult(list):
    """The first ``SAMPLE_SIZE`` fixes of a full recount, with totals for all of them.

    A list, so ``recount_all(dry_run=True) == []`` still asks "is every counter right?".
    """

    def __init__(self) -> None:
        super().__init__()
        self.fixes = 0
        self.rows_checked = 0
        self.rows_fixed = 0
        self.by_field: Counter[str] = Counter()
        self.batches = 0
        self.seconds = 0.0

    def add(self, fixes: list[Fix], *, checked: int, fixed: int) -> None:
        self.extend(fixes[: max(0, SAMPLE_SIZE - len(self))])
        self.fixes += len(fixes)
        self.by_field.update(fix.field for fix in fixes)
        self.rows_checked += checked
        self.rows_fixed += fixed
        self.batches += 1


def _topic_fixes(topics: QuerySet) -> tuple[list[Fix], list[Topic]]:
    in_order = Post.objects.filter(topic=OuterRef("pk")).order_by("created_at", "id")
    latest_published = Post.objects.filter(topic=OuterRef("pk"), status=PUBLISHED).order_by(
        "-created_at", "-id"
    )
    topics = topics.annotate(
        real_first_post=Subquery(in_order.values("pk")[:1]),
        real_first_status=Subquery(in_order.values("status")[:1]),
        real_last_post=Subquery(latest_published.values("pk")[:1]),
        real_last_active=Subquery(latest_published.values("created_at")[:1]),
        real_published=Count("posts", filter=Q(posts__status=PUBLISHED)),
        real_total=Count("posts"),
        real_voices=Count("posts__author", filter=Q(posts__status=PUBLISHED), distinct=True),
    ).order_by("pk")
    fixes: list[Fix] = []
    changed: list[Topic] = []
    for topic in topics:
        first_published = topic.real_first_status == PUBLISHED
        expected = {
            "first_post_id": topic.real_first_post,
            "last_post_id": topic.real_last_post,
            "reply_count": topic.real_published - int(first_published),
            "hidden_reply_count": topic.real_total
            - topic.real_published
            - int(topic.real_total > 0 and not first_published),
            "voice_count": topic.real_voices,
            "last_active_at": topic.real_last_active or topic.created_at,
        }
        _compare(f"Topic #{topic.pk} “{topic.title}”", topic, expected, fixes, changed)
    return fixes, changed


def _compare(label: str, row: Model, expected: dict, fixes: list[Fix], changed: list) -> None:
    """Set each of ``row``'s fields that differs from ``expected``, noting a fix for each and
    the row among the ``changed``."""
    row_fixes = [
        Fix(label, field, getattr(row, field), value)
        for field, value in expected.items()
        if getattr(row, field) != value
    ]
    if row_fixes:
        for fix in row_fixes:
            setattr(row, fix.field, fix.now)
        fixes.extend(row_fixes)
        changed.append(row)


def _forum_fixes(forums: QuerySet) -> tuple[list[Fix], list[Forum]]:
    # Grouped queries over the batch's forums rather than a subquery a counter: each of those
    # read every post of its forum again (four times over, and for seconds on PostgreSQL).
    forums = list(forums.order_by("pk"))
    ids = [forum.pk for forum in forums]
    topics = dict(
        Topic.objects.visible()
        .filter(forum__in=ids)
        .order_by()
        .values("forum")
        .annotate(n=Count("pk"))
        .values_list("forum", "n")
    )
    visible_posts = Post.objects.filter(
        topic__forum__in=ids, status=PUBLISHED, topic__status__in=Topic.VISIBLE_STATUSES
    ).order_by()
    posts = {
        forum: (n, latest)
        for forum, n, latest in visible_posts.values("topic__forum")
        .annotate(n=Count("pk"), latest=Max("created_at"))
        .values_list("topic__forum", "n", "latest")
    }
    last_post: dict[int, int] = {}
    latest_times = {latest for _, latest in posts.values()}
    for forum, pk, created_at in visible_posts.filter(created_at__in=latest_times).values_list(
        "topic__forum", "pk", "created_at"
    ):
        if created_at == posts[forum][1]:
            last_post[forum] = max(pk, last_post.get(forum, pk))
    fixes: list[Fix] = []
    changed: list[Forum] = []
    for forum in forums:
        expected = {
            "topic_count": topics.get(forum.pk, 0),
            "post_count": posts.get(forum.pk, (0, None))[0],
            "last_post_id": last_post.get(forum.pk),
            "last_active_at": posts.get(forum.pk, (0, None))[1],
        }
        _compare(f"Forum #{forum.pk} “{forum.name}”", forum, expected, fixes, changed)
    return fixes, changed


def _member_fixes(members: QuerySet) -> tuple[list[Fix], list[User]]:
    members = list(members.only("pk", "username", *MEMBER_FIELDS).order_by("pk"))
    counts = member_counters.counts_of(member.pk for member in members)
    fixes: list[Fix] = []
    changed: list[User] = []
    for member in members:
        expected = dict(zip(MEMBER_FIELDS, counts.get(member.pk, (0, 0)), strict=True))
        _compare(f"Member #{member.pk} “{member.username}”", member, expected, fixes, changed)
    return fixes, changed


def _write_members(changed_members: list[User]) -> None:
    _update_rows(User, changed_members, MEMBER_FIELDS)
    if changed_members:
        page_cache.expire_all_pages()  # profiles and member lists show the counts


def _write(changed_topics: list[Topic], changed_forums: list[Forum]) -> None:
    """Write the repaired rows, a prepared UPDATE a row; a repaired topic's cached pages
    expire."""
    _update_rows(Topic, changed_topics, TOPIC_FIELDS)
    _update_rows(Forum, changed_forums, FORUM_FIELDS)
    if changed_topics or changed_forums:
        page_cache.expire_all_pages()  # a repair is rare: every page may show a repaired count


def _update_rows(model: type[Model], rows: list[Model], fields: list[str]) -> None:
    # One small statement a row, sent with executemany (a reused prepared statement on SQLite,
    # a pipeline on PostgreSQL): bulk_update's CASE costs about 2 ms a row to build in Python.
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name) for name in fields]
    assignments = [f"{quote(column.column)} = %s" for column in columns]
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {', '.join(assignments)}"  # noqa: S608
        f" WHERE {quote(model._meta.pk.column)} = %s"
    )
    params = [
        [column.get_db_prep_save(getattr(row, column.attname), connection) for column in columns]
        + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def recount_topics_and_forums(*, topic_ids: list[int], forum_ids: list[int]) -> list[Fix]:
    """Bring the counters of these topics and forums, and which of the topics' posts are
    listed as replies, up to date with their rows.

    For moderation, where one status change moves several counters at once; the caller holds
    the transaction and the row locks, and passes a handful of ids.
    """
    topic_fixes, changed_topics = _topic_fixes(Topic.objects.filter(pk__in=topic_ids))
    forum_fixes, changed_forums = _forum_fixes(Forum.objects.filter(pk__in=forum_ids))
    _write(changed_topics, changed_forums)
    _write_listed_replies(topic_ids)
    tagging.tags_recount(tagging.tags_of_topics(topic_ids))
    return topic_fixes + forum_fixes


def _listed_wrongly(topic_ids: QuerySet | list[int]) -> tuple[QuerySet, QuerySet]:
    """The posts of these topics listed as replies that should not be, and the reverse."""
    listed = Q(status=PUBLISHED, topic__status__in=Topic.VISIBLE_STATUSES) & ~Q(
        topic__first_post=F("pk")
    )
    posts = Post.objects.filter(topic__in=topic_ids)
    return posts.filter(listed_as_reply=True).exclude(listed), posts.filter(
        listed, listed_as_reply=False
    )


def _write_listed_replies(topic_ids: list[int]) -> int:
    wrongly_listed, wrongly_unlisted = _listed_wrongly(topic_ids)
    return wrongly_listed.update(listed_as_reply=False) + wrongly_unlisted.update(
        listed_as_reply=True
    )


def _repair_listed_replies(topic_ids: list[int]) -> None:
    if _write_listed_replies(topic_ids):
        page_cache.expire_lists()  # the members' Replies Created


def _listed_reply_fixes(topics: QuerySet) -> tuple[list[Fix], list[int]]:
    """One fix per topic with posts listed (or not) as replies wrongly: how many."""
    ids = list(topics.values_list("pk", flat=True))
    wrong: Counter[int] = Counter()
    for posts in _listed_wrongly(ids):
        wrong.update(dict(posts.order_by().values_list("topic").annotate(n=Count("pk"))))
    fixes = [
        Fix(f"Topic #{topic_id}", "posts wrongly listed as replies", count, 0)
        for topic_id, count in sorted(wrong.items())
    ]
    return fixes, sorted(wrong)


def recount_all(
    *,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    forum_batch_size: int = FORUM_BATCH_SIZE,
    member_batch_size: int = MEMBER_BATCH_SIZE,
    on_progress: Callable[[Progress], None] | None = None,
) -> RecountResult:
    """Find every wrong counter and, unless ``dry_run``, repair it, a batch at a time.

    Returns the first ``SAMPLE_SIZE`` fixes with the totals (``fixes``, ``rows_fixed``,
    ``by_field``...); ``on_progress`` hears about each batch as it is done, its fixes included.
    """
    result = RecountResult()
    started = time.monotonic()
    stages = [
        ("topics", Topic, batch_size, _topic_fixes, lambda rows: _write(rows, [])),
        ("listed replies", Topic, batch_size, _listed_reply_fixes, _repair_listed_replies),
        ("forums", Forum, forum_batch_size, _forum_fixes, lambda rows: _write([], rows)),
        ("members", User, member_batch_size, _member_fixes, _write_members),
        ("tags", Tag, forum_batch_size, _tag_fixes, _write_tags),
    ]
    for stage, model, size, find_fixes, write in stages:
        total = -(-model.objects.count() // size)
        for done, (fixes, checked, fixed) in enumerate(
            _batches(model, size, find_fixes, write, dry_run=dry_run), start=1
        ):
            result.add(fixes, checked=checked, fixed=fixed)
            if on_progress:
                on_progress(
                    Progress(
                        stage=stage,
                        batches_done=done,
                        batches_total=max(total, done),
                        rows_checked=result.rows_checked,
                        rows_fixed=result.rows_fixed,
                        fixes=result.fixes,
                        seconds=time.monotonic() - started,
                        batch_fixes=fixes,
                    )
                )
    result.seconds = time.monotonic() - started
    return result


def _tag_fixes(tags: QuerySet) -> tuple[list[Fix], list[Tag]]:
    fixes: list[Fix] = []
    changed: list[Tag] = []
    for tag in tags.annotate(expected=tagging.visible_topic_count()).order_by("pk"):
        _compare(f"Tag #{tag.pk} “{tag.name}”", tag, {"topic_count": tag.expected}, fixes, changed)
    return fixes, changed


def _write_tags(tags: list[Tag]) -> None:
    if tags:
        Tag.objects.bulk_update(tags, ["topic_count"])
        page_cache.expire_lists()


def _batches(
    model: type[Model],
    size: int,
    find_fixes: Callable[[QuerySet], tuple[list[Fix], list]],
    write: Callable[[list], None],
    *,
    dry_run: bool,
) -> Iterator[tuple[list[Fix], int, int]]:
    """Recount ``model`` ``size`` rows at a time, each batch in its own transaction.

    The batch's rows are locked first (a no-op on SQLite, whose IMMEDIATE transactions take
    the write lock), so a reply or a moderation action on them waits for the batch and then
    moves the repaired counter: nothing committed meanwhile is counted twice or lost.
    """
    after = 0
    while True:
        with transaction.atomic():
            _without_jit()
            ids = list(
                model.objects.select_for_update()
                .filter(pk__gt=after)
                .order_by("pk")
                .values_list("pk", flat=True)[:size]
            )
            if not ids:
                return
            fixes, changed = find_fixes(model.objects.filter(pk__gte=ids[0], pk__lte=ids[-1]))
            if not dry_run:
                write(changed)
        after = ids[-1]
        yield fixes, len(ids), len(changed)


def _without_jit() -> None:
    """PostgreSQL's JIT compiler costs more than a batch's query saves (and on one statement
    over the whole table it ran for minutes at gigabytes): off for this transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
