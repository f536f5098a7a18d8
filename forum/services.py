"""Writes to forums, topics and posts. Every counter moves here, in the same transaction as
the rows it counts, with ``F()`` expressions (and a row lock where a read decides the write).
"""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.services import member_set_role

from . import events, member_counters, page_cache, permissions, tagging
from .markup import count_links, mentioned_usernames, quoted_post_ids, render_body, render_markdown
from .models import (
    Forum,
    ForumSubscription,
    Post,
    PostRevision,
    Report,
    Topic,
    TopicFavorite,
    TopicSubscription,
)
from .recount import recount_topics_and_forums

SLUG_MAX_LENGTH = Topic._meta.get_field("slug").max_length


SLUG_ATTEMPTS = 20


def _free_topic_slug(title: str) -> str:
    """A slug from the title, with "-2", "-3"… appended while it is taken, as bbPress does."""
    base = slugify(title)[: SLUG_MAX_LENGTH - 8].strip("-") or "topic"
    slug, suffix = base, 1
    while Topic.objects.filter(slug=slug).exists():
        suffix += 1
        slug = f"{base}-{suffix}"
    return slug


def _topic_insert(*, title: str, **fields) -> Topic:
    """Insert a topic under a slug no other topic has.

    Checking for a free slug and inserting are two steps, so members starting topics with the
    same title at the same moment can pick the same one: the unique index refuses all but the
    first, and the others (each in a savepoint, so the transaction goes on) take the next.
    """
    for _ in range(SLUG_ATTEMPTS):
        slug = _free_topic_slug(title)
        try:
            with transaction.atomic():
                return Topic.objects.create(title=title, slug=slug, **fields)
        except IntegrityError:
            if not Topic.objects.filter(slug=slug).exists():
                raise  # another constraint: not ours to retry
    raise IntegrityError(f"No free slug for {title!r} after {SLUG_ATTEMPTS} attempts")


def _create_post(
    *,
    topic: Topic,
    author: User,
    body: str,
    created_at: datetime,
    post_id: int | None,
    author_ip: str | None,
    idempotency_token: uuid.UUID | None,
    body_html: str | None = None,
    listed_as_reply: bool = False,
) -> Post:
    post = Post.objects.create(
        id=post_id,
        topic=topic,
        author=author,
        body=body,
        body_html=render_markdown(body) if body_html is None else body_html,
        created_at=created_at,
        author_ip=author_ip,
        idempotency_token=idempotency_token,
        listed_as_reply=listed_as_reply,
    )
    if post_id is not None:
        move_post_id_sequence_past_explicit_ids()
    return post


def move_post_id_sequence_past_explicit_ids() -> None:
    """After inserting an explicit id, make the database's id sequence continue past it.

    SQLite does this by itself; PostgreSQL's identity sequence has to be told.
    """
    statements = connection.ops.sequence_reset_sql(no_style(), [Post])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _forum_record_new_posts(*, forum_id: int, post: Post, new_topics: int, new_posts: int) -> None:
    # Posts in different topics of one forum are written side by side and reach this UPDATE
    # in any order (each waits for the forum's row): the forum's latest post only moves
    # forward, in the order recount uses (the time, then the number).
    is_latest = (
        Q(last_active_at__isnull=True)
        | Q(last_active_at__lt=post.created_at)
        | Q(last_active_at=post.created_at, last_post_id__lt=post.pk)
    )
    Forum.objects.filter(pk=forum_id).update(
        topic_count=F("topic_count") + new_topics,
        post_count=F("post_count") + new_posts,
        last_post=Case(
            When(is_latest, then=Value(post.pk)),
            default=F("last_post"),
            output_field=Forum._meta.get_field("last_post"),
        ),
        last_active_at=Case(
            When(is_latest, then=Value(post.created_at)), default=F("last_active_at")
        ),
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
    body_html: str | None = None,
) -> Topic:
    """Start a topic with its opening post.

    ``created_at`` and ``post_id`` keep an imported post's original date and number;
    ``body_html`` is ``body`` already rendered (:func:`forum.markup.render_markdown`).
    """
    created_at = created_at or timezone.now()
    topic = _topic_insert(
        forum=forum,
        title=title,
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
        body_html=body_html,
    )
    topic.first_post = topic.last_post = post
    topic.save(update_fields=["first_post", "last_post"])
    page_cache.expire_lists()
    _forum_record_new_posts(forum_id=forum.pk, post=post, new_topics=1, new_posts=1)
    member_counters.record_new_topic(author_id=author.pk)
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
    body_html: str | None = None,
) -> Post:
    """Add a published reply to a topic and move the topic's and forum's counters;
    ``body_html`` is ``body`` already rendered, when the caller has it."""
    # The row lock serialises replies to one topic, so the "is this a new voice?" read
    # cannot race another reply by the same author (SQLite serialises via IMMEDIATE).
    locked = (
        Topic.objects.select_for_update().only("pk", "forum_id", "status", "slug").get(pk=topic.pk)
    )
    is_new_voice = not locked.posts.published().filter(author=author).exists()
    visible = locked.status in Topic.VISIBLE_STATUSES
    post = _create_post(
        topic=locked,
        author=author,
        body=body,
        created_at=created_at or timezone.now(),
        post_id=None,
        author_ip=author_ip,
        idempotency_token=idempotency_token,
        body_html=body_html,
        listed_as_reply=visible,
    )
    Topic.objects.filter(pk=locked.pk).update(
        reply_count=F("reply_count") + 1,
        voice_count=F("voice_count") + int(is_new_voice),
        last_post=post,
        last_active_at=post.created_at,
    )
    topic_mark_changed(topic_id=locked.pk, slug=locked.slug)  # its pages and the lists
    _forum_record_new_posts(forum_id=locked.forum_id, post=post, new_topics=0, new_posts=1)
    if visible:
        member_counters.record_new_reply(author_id=author.pk)
    return post


def topic_mark_changed(*, topic_id: int, slug: str | None = None) -> None:
    """Expire the topic's cached pages and the lists that show it; ``slug`` saves looking it
    up."""
    _topics_mark_changed([topic_id], slugs=None if slug is None else [slug])


def _topics_mark_changed(topic_ids: list[int], *, slugs: list[str] | None = None) -> None:
    if slugs is None:
        slugs = list(Topic.objects.filter(pk__in=topic_ids).values_list("slug", flat=True))
    page_cache.expire_topic_pages(slugs)


@transaction.atomic
def post_edit(
    *,
    post: Post,
    editor: User,
    body: str,
    reason: str = "",
    title: str | None = None,
    tags: list[str] | None = None,
) -> Post:
    """Replace a post's text (and its topic's title and tags, for an opening post), keeping a
    revision.

    Permission is the caller's to check (``forum.permissions.can_edit``).
    """
    locked = Post.objects.select_for_update().get(pk=post.pk)
    mentioned_before = mentioned_usernames(locked.body_html)
    now = timezone.now()
    PostRevision.objects.create(
        post=locked, editor=editor, reason=reason, previous_body=locked.body, created_at=now
    )
    locked.body = body
    locked.body_html = render_body(body, locked.body_format)
    locked.edited_at = now
    locked.save(update_fields=["body", "body_html", "edited_at"])
    if title is not None:
        Topic.objects.filter(pk=locked.topic_id, first_post=locked).update(title=title)
    if tags is not None:
        topic = Topic.objects.get(pk=locked.topic_id)
        if topic.first_post_id == locked.pk:
            tagging.topic_set_tags(topic=topic, names=tags)
    topic_mark_changed(topic_id=locked.topic_id)
    events.announce(
        events.post_edited,
        post_id=locked.pk,
        mentions=mentioned_usernames(locked.body_html),
        mentioned_before=mentioned_before,
    )
    return locked


# Members' submissions: the posting rules, checked on the server inside the write's transaction.


class PostingRefused(Exception):
    """A submission broke a posting rule; ``message`` says which, in words for the member."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _check_posting_rules(
    *, author: User, body: str, body_html: str, topic: Topic | None = None
) -> bool:
    """Flood control and duplicate replies refuse the post; returns whether it must wait for
    a moderator's approval (a new member's first posts, when the site holds them, and posts
    over the new members' link limit).

    The caller serialises the author's submissions (:func:`_lock_member`), so two by one
    member are checked one after the other, never both against the state before either.
    """
    if permissions.is_moderator(author):
        return False
    since = timezone.now() - timedelta(seconds=settings.FORUM_FLOOD_SECONDS)
    if Post.objects.filter(author=author, created_at__gt=since).exists():
        raise PostingRefused("Slow down; you move too fast.")
    if topic is not None and topic.posts.filter(author=author, body=body).exists():
        raise PostingRefused(
            "Duplicate reply detected; it looks as though you’ve already said that!"
        )
    # Counted only as far as the rules look, not through a long-standing member's history.
    looked_at = max(settings.FORUM_APPROVE_FIRST_POSTS, settings.FORUM_NEW_MEMBER_POSTS)
    published = Post.objects.published().filter(author=author)[:looked_at].count()
    if published < settings.FORUM_APPROVE_FIRST_POSTS:
        return True
    if published < settings.FORUM_NEW_MEMBER_POSTS:
        return count_links(body_html) > settings.FORUM_NEW_MEMBER_MAX_LINKS
    return False


# The namespace of the advisory locks that serialise a member's submissions on PostgreSQL.
_SUBMISSION_LOCKS = 0x5542  # any constant no other advisory lock uses


def _lock_member(member: User) -> None:
    """Serialise one member's submissions.

    Not a lock on the member's row on PostgreSQL: every write takes its topics, then its
    forums, then the members whose counters it moves, and a submission takes its topic after
    this lock; holding the member's row here, a moderator acting on that topic would wait for
    the submission while it waited for the moderator (a deadlock). A transaction-scoped
    advisory lock serialises the submissions and nothing else. SQLite's IMMEDIATE
    transactions serialise every writer already: nothing more is taken there.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s::integer, %s::integer)",
                [_SUBMISSION_LOCKS, member.pk],
            )


def _already_posted(author: User, idempotency_token: uuid.UUID) -> Post | None:
    return Post.objects.filter(author=author, idempotency_token=idempotency_token).first()


def topic_submit(
    *,
    forum: Forum,
    author: User,
    title: str,
    body: str,
    idempotency_token: uuid.UUID,
    author_ip: str | None = None,
    notify: bool = False,
    tags: list[str] | None = None,
) -> Topic:
    """A member starts a topic: the rules are checked, then :func:`topic_create` writes it
    (held as pending when the rules say a moderator must approve it first).

    Submitting the same form twice (same token) returns the first topic and writes nothing.
    The body is rendered before the transaction begins (see :func:`reply_submit`).
    """
    body_html = render_markdown(body)
    with transaction.atomic():
        _lock_member(author)
        if (earlier := _already_posted(author, idempotency_token)) is not None:
            return earlier.topic
        forum = Forum.objects.get(pk=forum.pk)
        if (refusal := permissions.new_topic_refusal(author, forum)) is not None:
            raise PostingRefused(refusal)
        hold = _check_posting_rules(author=author, body=body, body_html=body_html)
        topic = topic_create(
            forum=forum,
            author=author,
            title=title,
            body=body,
            body_html=body_html,
            author_ip=author_ip,
            idempotency_token=idempotency_token,
        )
        if hold:
            post_set_status(post=topic.first_post, status=Post.Status.PENDING)
            topic.refresh_from_db()
            events.announce(events.post_held, post_id=topic.first_post_id)
        else:
            _announce_published(
                post_id=topic.first_post_id, body_html=body_html, approved=False, opening=True
            )
        if tags:
            tagging.topic_set_tags(topic=topic, names=tags)
        subscription_set(member=author, topic=topic, subscribed=notify)
        return topic


def reply_submit(
    *,
    topic: Topic,
    author: User,
    body: str,
    idempotency_token: uuid.UUID,
    author_ip: str | None = None,
    notify: bool = False,
) -> Post:
    """A member replies: rules checked, :func:`reply_create` writes, and the rooms above
    hear of it on commit (``forum.events``: the notifications room tells and emails the
    topic's subscribers; a held reply's are told when a moderator approves it).

    Submitting the same form twice (same token) returns the first reply. The body is rendered
    before the transaction begins: on SQLite the transaction holds the database's one write lock,
    which every other writer waits for, and a long post takes a millisecond to render.
    """
    body_html = render_markdown(body)
    with transaction.atomic():
        _lock_member(author)
        if (earlier := _already_posted(author, idempotency_token)) is not None:
            return earlier
        topic = Topic.objects.select_related("forum").get(pk=topic.pk)
        if (refusal := permissions.reply_refusal(author, topic)) is not None:
            raise PostingRefused(refusal)
        hold = _check_posting_rules(author=author, body=body, body_html=body_html, topic=topic)
        post = reply_create(
            topic=topic,
            author=author,
            body=body,
            body_html=body_html,
            author_ip=author_ip,
            idempotency_token=idempotency_token,
        )
        subscription_set(member=author, topic=topic, subscribed=notify)
        if hold:
            post_set_status(post=post, status=Post.Status.PENDING)
            post.status = Post.Status.PENDING
            events.announce(events.post_held, post_id=post.pk)
        else:
            _announce_published(post_id=post.pk, body_html=body_html, approved=False, opening=False)
        return post


def _announce_published(*, post_id: int, body_html: str, approved: bool, opening: bool) -> None:
    """Tell the rooms above that a post is visible (``forum.events.post_published``), with
    whom its stored HTML mentions and which posts it quotes."""
    events.announce(
        events.post_published,
        post_id=post_id,
        approved=approved,
        opening=opening,
        mentions=mentioned_usernames(body_html),
        quotes=quoted_post_ids(body_html),
    )


def subscription_set(*, member: User, topic: Topic, subscribed: bool) -> None:
    """Subscribe ``member`` to ``topic``'s replies, or unsubscribe them; idempotent."""
    _topic_mark_set(TopicSubscription, member=member, topic=topic, present=subscribed)


def forum_subscription_set(*, member: User, forum: Forum, subscribed: bool) -> None:
    """Tell ``member`` of every new topic in ``forum``, or stop; idempotent."""
    if subscribed:
        ForumSubscription.objects.get_or_create(member=member, forum=forum)
    else:
        ForumSubscription.objects.filter(member=member, forum=forum).delete()


def favorite_set(*, member: User, topic: Topic, favorite: bool) -> None:
    """Add ``topic`` to ``member``'s favorites, or take it off; idempotent."""
    _topic_mark_set(TopicFavorite, member=member, topic=topic, present=favorite)


def _topic_mark_set(
    model: type[TopicSubscription | TopicFavorite], *, member: User, topic: Topic, present: bool
) -> None:
    if present:
        model.objects.get_or_create(member=member, topic=topic)
    else:
        model.objects.filter(member=member, topic=topic).delete()
    if model is TopicFavorite:
        page_cache.expire_lists()  # the member's public Favorites page


# Moderation: status and pin changes. Each recounts what it touched from the rows, inside the
# transaction and under a lock on the topic, so every counter is right however it is done.

_TOPIC_STATUS_FOR_OPENING_POST = {
    Post.Status.PUBLISHED: Topic.Status.OPEN,
    Post.Status.PENDING: Topic.Status.PENDING,
    Post.Status.SPAM: Topic.Status.SPAM,
    Post.Status.TRASH: Topic.Status.TRASH,
}


@transaction.atomic
def post_set_status(*, post: Post, status: str) -> None:
    """Publish, hold (pending), spam or trash a post; a topic's opening post takes the topic
    with it, as in bbPress. Approving a held post dates it (and a topic it opens) at the
    approval and announces it (``post_published``), so its topic's or forum's followers hear
    of it then (restoring one from spam or trash does neither: readers saw it already)."""
    topic = Topic.objects.select_for_update().get(pk=post.topic_id)
    # A reply's status moves its author's count alone; an opening post's, with its topic,
    # every author's in the topic.
    counted = member_counters.snapshot(
        [topic.pk], author_ids=None if post.pk == topic.first_post_id else [post.author_id]
    )
    previous, body_html = Post.objects.values_list("status", "body_html").get(pk=post.pk)
    if previous == Post.Status.PENDING and status == Post.Status.PUBLISHED:
        # Approved: published now, as Discourse publishes a queued post: dated when readers
        # can first see it, so it comes at the end of its thread and is new in the lists,
        # the feeds and every member's unread tracking (which go by time).
        approved_at = timezone.now()
        Post.objects.filter(pk=post.pk).update(status=status, created_at=approved_at)
        if post.pk == topic.first_post_id:
            Topic.objects.filter(pk=topic.pk).update(created_at=approved_at)
    else:
        Post.objects.filter(pk=post.pk).update(status=status)
    if previous == Post.Status.PUBLISHED and status != Post.Status.PUBLISHED:
        opening = post.pk == topic.first_post_id
        events.announce(
            events.posts_hidden,
            post_ids=[post.pk],
            topic_ids=[topic.pk] if opening else [],  # the topic goes with its opening post
            author_ids=[],
        )
    if previous == Post.Status.PENDING and status == Post.Status.PUBLISHED:
        _announce_published(
            post_id=post.pk,
            body_html=body_html,
            approved=True,
            opening=post.pk == topic.first_post_id,
        )
    if post.pk == topic.first_post_id:
        topic_status = _TOPIC_STATUS_FOR_OPENING_POST[Post.Status(status)]
        if not (topic_status == Topic.Status.OPEN and topic.status == Topic.Status.CLOSED):
            Topic.objects.filter(pk=topic.pk).update(status=topic_status)
    _recount_after_moderation(topic)
    member_counters.settle(counted)


@transaction.atomic
def topic_set_status(*, topic: Topic, status: str) -> None:
    """Open, close, spam, trash or restore a whole topic (its posts keep their own status)."""
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    counted = member_counters.snapshot([locked.pk])
    Topic.objects.filter(pk=locked.pk).update(status=status)
    if locked.status in Topic.VISIBLE_STATUSES and status not in Topic.VISIBLE_STATUSES:
        events.announce(events.posts_hidden, post_ids=[], topic_ids=[locked.pk], author_ids=[])
    _recount_after_moderation(locked)
    member_counters.settle(counted)


@transaction.atomic
def topic_set_pin(*, topic: Topic, pin: int) -> None:
    """Stick, super-stick or unstick a topic."""
    Topic.objects.filter(pk=topic.pk).update(pin=pin)
    topic_mark_changed(topic_id=topic.pk)


def _recount_after_moderation(topic: Topic) -> None:
    recount_topics_and_forums(topic_ids=[topic.pk], forum_ids=[topic.forum_id])
    topic_mark_changed(topic_id=topic.pk)


@transaction.atomic
def member_block(*, member: User, spam_posts: bool = True) -> int:
    """Block a member (they can read but no longer post, and lose any admin access with their
    role) and, by default, mark every post of theirs as spam; topics they started go with
    their opening posts. Returns posts spammed.

    Who may block whom is the caller's to check (``accounts.models.may_act_on``).
    """
    if not spam_posts:
        member_set_role(member=User.objects.get(pk=member.pk), role=User.Role.BLOCKED)
        return 0
    posts = Post.objects.filter(author=member).exclude(status=Post.Status.SPAM)
    topic_ids = sorted(set(posts.values_list("topic_id", flat=True)))
    topics = list(Topic.objects.select_for_update().filter(pk__in=topic_ids).order_by("pk"))
    counted = member_counters.snapshot(topic_ids)
    # The member's row after the topics, in the order every write takes them (see
    # ``_lock_member``).
    member_set_role(member=User.objects.get(pk=member.pk), role=User.Role.BLOCKED)
    spammed = posts.update(status=Post.Status.SPAM)
    events.announce(events.posts_hidden, post_ids=[], topic_ids=[], author_ids=[member.pk])
    Topic.objects.filter(pk__in=topic_ids, first_post__author=member).update(
        status=Topic.Status.SPAM
    )
    _restructured(*topic_ids, forum_ids=sorted({topic.forum_id for topic in topics}))
    member_counters.settle(counted)
    return spammed


class NotInTrash(Exception):
    """Only what is in the trash may be deleted for good."""


@transaction.atomic
def post_delete(*, post: Post) -> None:
    """Delete a trashed reply for good (a topic's opening post goes with :func:`topic_delete`).

    A trashed reply counts for nobody, so no member's counters move."""
    topic = Topic.objects.select_for_update().get(pk=post.topic_id)
    post = Post.objects.get(pk=post.pk)
    if post.status != Post.Status.TRASH or post.pk == topic.first_post_id:
        raise NotInTrash(f"#{post.pk} is not a trashed reply.")
    post.delete()
    _recount_after_moderation(topic)
    events.announce(events.posts_deleted)


@transaction.atomic
def topic_delete(*, topic: Topic) -> None:
    """Delete a trashed topic and all its posts for good.

    A trashed topic and its posts count for nobody, so no member's counters move."""
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    if locked.status != Topic.Status.TRASH:
        raise NotInTrash(f"“{locked.title}” is not in the trash.")
    forum_id = locked.forum_id
    locked.delete()
    recount_topics_and_forums(topic_ids=[], forum_ids=[forum_id])
    events.announce(events.posts_deleted)


@transaction.atomic
def topic_move(*, topic: Topic, forum: Forum) -> None:
    """Move a topic, with its posts, to another forum; both forums' counters follow."""
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    old_forum_id = locked.forum_id
    Topic.objects.filter(pk=locked.pk).update(forum=forum)
    _restructured(locked.pk, forum_ids=[old_forum_id, forum.pk])


class AlreadyReported(Exception):
    """A member reports a post once."""


def report_create(*, post: Post, reporter: User, reason: str) -> Report:
    """File a member's report of a post for the moderators' queue."""
    try:
        with transaction.atomic():
            return Report.objects.create(post=post, reporter=reporter, reason=reason)
    except IntegrityError:
        raise AlreadyReported("You have already reported this post.") from None


def report_resolve(*, report: Report, moderator: User) -> None:
    """Mark a report as dealt with, recording who and when."""
    Report.objects.filter(pk=report.pk, resolved_at=None).update(
        resolved_at=timezone.now(), resolved_by=moderator
    )


class CannotRestructure(Exception):
    """A merge, split or move that would scramble a thread; the message says why."""


def _lock_topics(*topics: Topic) -> list[Topic]:
    ids = sorted({topic.pk for topic in topics})
    return list(Topic.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _restructured(*topic_ids: int, forum_ids: list[int]) -> None:
    """Recount the topics and forums a change touched, and expire their cached pages."""
    recount_topics_and_forums(topic_ids=list(topic_ids), forum_ids=forum_ids)
    _topics_mark_changed(list(topic_ids))


@transaction.atomic
def topic_merge(*, source: Topic, target: Topic) -> Topic:
    """Merge ``source`` into ``target``: its posts (opening post included) become replies
    there, its subscribers and favorites follow, and ``source`` is gone."""
    if source.pk == target.pk:
        raise CannotRestructure("A topic cannot be merged into itself.")
    _lock_topics(source, target)
    counted = member_counters.snapshot([source.pk, target.pk])
    source = Topic.objects.select_related("first_post").get(pk=source.pk)
    target = Topic.objects.select_related("first_post").get(pk=target.pk)
    if (
        source.first_post
        and target.first_post
        and (source.first_post.created_at < target.first_post.created_at)
    ):
        raise CannotRestructure("Merge the newer topic into the older one.")
    Post.objects.filter(topic=source).update(topic=target)
    target.tags.add(*source.tags.all())  # as bbPress merges them; counted by _restructured
    for model in (TopicSubscription, TopicFavorite):
        already = model.objects.filter(topic=target).values("member_id")
        model.objects.filter(topic=source).exclude(member_id__in=already).update(topic=target)
    forum_ids = sorted({source.forum_id, target.forum_id})
    source.delete()
    _restructured(target.pk, forum_ids=forum_ids)
    member_counters.settle(counted)
    return target


@transaction.atomic
def topic_split(*, post: Post, title: str) -> Topic:
    """Split a topic at a reply: that reply and every later post start a new topic, in the
    same forum, by the reply's author."""
    (topic,) = _lock_topics(post.topic)
    if post.pk == topic.first_post_id:
        raise CannotRestructure("A topic cannot be split at its opening post.")
    counted = member_counters.snapshot([topic.pk])
    new = _topic_insert(
        forum_id=topic.forum_id,
        title=title,
        author_id=post.author_id,
        created_at=post.created_at,
        last_active_at=post.created_at,
    )
    Post.objects.filter(topic=topic).filter(
        Q(created_at__gt=post.created_at) | Q(created_at=post.created_at, id__gte=post.id)
    ).update(topic=new)
    _restructured(topic.pk, new.pk, forum_ids=[topic.forum_id])
    member_counters.settle(counted, new_topic_ids=[new.pk])
    new.refresh_from_db()
    return new


@transaction.atomic
def post_move(*, post: Post, target: Topic) -> None:
    """Move one reply to another topic (written after that topic began, so it stays a reply)."""
    _lock_topics(post.topic, target)
    source = Topic.objects.get(pk=post.topic_id)
    target = Topic.objects.select_related("first_post").get(pk=target.pk)
    if post.pk == source.first_post_id:
        raise CannotRestructure("An opening post moves with its topic: merge the topic instead.")
    if source.pk == target.pk:
        raise CannotRestructure("The reply is in that topic already.")
    if target.first_post and post.created_at < target.first_post.created_at:
        raise CannotRestructure("A reply can only move to a topic that began before it.")
    # Every author: a reply as old as the target's opening post may become its opening post.
    counted = member_counters.snapshot([source.pk, target.pk])
    Post.objects.filter(pk=post.pk).update(topic=target)
    _restructured(source.pk, target.pk, forum_ids=sorted({source.forum_id, target.forum_id}))
    member_counters.settle(counted)
