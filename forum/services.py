"""Writes to forums, topics and posts. Every counter moves here, in the same transaction as
the rows it counts, with ``F()`` expressions (and a row lock where a read decides the write).
"""

import uuid
from datetime import datetime

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User

from .markup import render_markdown
from .models import Forum, Post, Topic

SLUG_MAX_LENGTH = Topic._meta.get_field("slug").max_length


def unique_topic_slug(title: str) -> str:
    """A slug from the title, with "-2", "-3"… appended while it is taken, as bbPress does."""
    base = slugify(title)[: SLUG_MAX_LENGTH - 8].strip("-") or "topic"
    slug, suffix = base, 1
    while Topic.objects.filter(slug=slug).exists():
        suffix += 1
        slug = f"{base}-{suffix}"
    return slug


def _create_post(
    *,
    topic: Topic,
    author: User,
    body: str,
    created_at: datetime,
    post_id: int | None,
    author_ip: str | None,
    idempotency_token: uuid.UUID | None,
) -> Post:
    post = Post.objects.create(
        id=post_id,
        topic=topic,
        author=author,
        body=body,
        body_html=render_markdown(body),
        created_at=created_at,
        author_ip=author_ip,
        idempotency_token=idempotency_token,
    )
    if post_id is not None:
        _move_post_id_sequence_past_explicit_ids()
    return post


def _move_post_id_sequence_past_explicit_ids() -> None:
    """After inserting an explicit id, make the database's id sequence continue past it.

    SQLite does this by itself; PostgreSQL's identity sequence has to be told.
    """
    statements = connection.ops.sequence_reset_sql(no_style(), [Post])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _forum_record_new_posts(*, forum_id: int, post: Post, new_topics: int, new_posts: int) -> None:
    Forum.objects.filter(pk=forum_id).update(
        topic_count=F("topic_count") + new_topics,
        post_count=F("post_count") + new_posts,
        last_post=post,
        last_active_at=post.created_at,
    )


@transaction.atomic
def topic_create(
    *,
    forum: Forum,
    author: User,
    title: str,
    body: str,
    created_at: datetime | None = None,
    post_id: int | None = None,
    author_ip: str | None = None,
    idempotency_token: uuid.UUID | None = None,
) -> Topic:
    """Start a topic with its opening post.

    ``created_at`` and ``post_id`` keep an imported post's original date and number.
    """
    created_at = created_at or timezone.now()
    topic = Topic.objects.create(
        forum=forum,
        title=title,
        slug=unique_topic_slug(title),
        author=author,
        created_at=created_at,
        last_active_at=created_at,
        voice_count=1,
    )
    post = _create_post(
        topic=topic,
        author=author,
        body=body,
        created_at=created_at,
        post_id=post_id,
        author_ip=author_ip,
        idempotency_token=idempotency_token,
    )
    topic.first_post = topic.last_post = post
    topic.save(update_fields=["first_post", "last_post"])
    _forum_record_new_posts(forum_id=forum.pk, post=post, new_topics=1, new_posts=1)
    return topic


@transaction.atomic
def reply_create(
    *,
    topic: Topic,
    author: User,
    body: str,
    created_at: datetime | None = None,
    author_ip: str | None = None,
    idempotency_token: uuid.UUID | None = None,
) -> Post:
    """Add a published reply to a topic and move the topic's and forum's counters."""
    # The row lock serialises replies to one topic, so the "is this a new voice?" read
    # cannot race another reply by the same author (SQLite serialises via IMMEDIATE).
    locked = Topic.objects.select_for_update().only("pk", "forum_id").get(pk=topic.pk)
    is_new_voice = not locked.posts.published().filter(author=author).exists()
    post = _create_post(
        topic=locked,
        author=author,
        body=body,
        created_at=created_at or timezone.now(),
        post_id=None,
        author_ip=author_ip,
        idempotency_token=idempotency_token,
    )
    Topic.objects.filter(pk=locked.pk).update(
        reply_count=F("reply_count") + 1,
        voice_count=F("voice_count") + int(is_new_voice),
        last_post=post,
        last_active_at=post.created_at,
    )
    topic_mark_changed(topic_id=locked.pk)
    _forum_record_new_posts(forum_id=locked.forum_id, post=post, new_topics=0, new_posts=1)
    return post


def topic_mark_changed(*, topic_id: int) -> None:
    """Bump the topic's version so cached copies of its pages are no longer served."""
    Topic.objects.filter(pk=topic_id).update(version=F("version") + 1)


@transaction.atomic
def post_edit(*, post: Post, body: str) -> Post:
    """Replace a post's text, render it again and mark its topic's pages as changed."""
    post.body = body
    post.body_html = render_markdown(body)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])
    topic_mark_changed(topic_id=post.topic_id)
    return post
