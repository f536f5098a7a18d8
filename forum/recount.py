"""Recompute every denormalised counter from the rows it counts.

Counters should never drift (services move them atomically), but a bug, a manual SQL fix or a
restore can leave them wrong; this finds and repairs that, and changes nothing when all is well.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from .models import Forum, Post, Topic

PUBLISHED = Post.Status.PUBLISHED


@dataclass(frozen=True)
class Fix:
    """One counter that was wrong: where, which field, what it said and what it should say."""

    label: str
    field: str
    was: object
    now: object

    def __str__(self) -> str:
        return f"{self.label}: {self.field} {self.was!r} -> {self.now!r}"


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
        label = f"Topic #{topic.pk} “{topic.title}”"
        topic_fixes = [
            Fix(label, field, getattr(topic, field), value)
            for field, value in expected.items()
            if getattr(topic, field) != value
        ]
        if topic_fixes:
            for fix in topic_fixes:
                setattr(topic, fix.field, fix.now)
            fixes.extend(topic_fixes)
            changed.append(topic)
    return fixes, changed


def _forum_fixes(forums: QuerySet) -> tuple[list[Fix], list[Forum]]:
    visible_posts = Post.objects.filter(
        topic__forum=OuterRef("pk"),
        status=PUBLISHED,
        topic__status__in=Topic.VISIBLE_STATUSES,
    )
    latest = visible_posts.order_by("-created_at", "-id")
    forums = forums.annotate(
        real_topics=Subquery(
            Topic.objects.visible()
            .filter(forum=OuterRef("pk"))
            .values("forum")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        real_posts=Subquery(
            visible_posts.values("topic__forum").annotate(n=Count("pk")).values("n")
        ),
        real_last_post=Subquery(latest.values("pk")[:1]),
        real_last_active=Subquery(latest.values("created_at")[:1]),
    ).order_by("pk")
    fixes: list[Fix] = []
    changed: list[Forum] = []
    for forum in forums:
        expected = {
            "topic_count": forum.real_topics or 0,
            "post_count": forum.real_posts or 0,
            "last_post_id": forum.real_last_post,
            "last_active_at": forum.real_last_active,
        }
        forum_fixes = [
            Fix(f"Forum #{forum.pk} “{forum.name}”", field, getattr(forum, field), value)
            for field, value in expected.items()
            if getattr(forum, field) != value
        ]
        if forum_fixes:
            for fix in forum_fixes:
                setattr(forum, fix.field, fix.now)
            fixes.extend(forum_fixes)
            changed.append(forum)
    return fixes, changed


@transaction.atomic
def recount_all(*, dry_run: bool = False) -> list[Fix]:
    """Find every wrong counter and, unless ``dry_run``, repair it. Returns what was wrong."""
    return _recount(Topic.objects.all(), Forum.objects.all(), dry_run=dry_run)


def recount_topics_and_forums(*, topic_ids: list[int], forum_ids: list[int]) -> list[Fix]:
    """Bring the counters of these topics and forums up to date with their rows.

    For moderation, where one status change moves several counters at once; the caller holds
    the transaction and the row locks.
    """
    return _recount(Topic.objects.filter(pk__in=topic_ids), Forum.objects.filter(pk__in=forum_ids))


def _recount(topics: QuerySet, forums: QuerySet, *, dry_run: bool = False) -> list[Fix]:
    topic_fixes, changed_topics = _topic_fixes(topics)
    forum_fixes, changed_forums = _forum_fixes(forums)
    if not dry_run:
        Topic.objects.bulk_update(
            changed_topics,
            [
                "first_post",
                "last_post",
                "reply_count",
                "hidden_reply_count",
                "voice_count",
                "last_active_at",
            ],
        )
        Topic.objects.filter(pk__in=[topic.pk for topic in changed_topics]).update(
            version=F("version") + 1
        )
        Forum.objects.bulk_update(
            changed_forums, ["topic_count", "post_count", "last_post", "last_active_at"]
        )
    return topic_fixes + forum_fixes
