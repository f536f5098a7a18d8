"""The notifying itself, in the worker: a task per published, held or edited post, queued by
``notifications.receivers`` when ``forum`` announces it. Idempotent: a task run twice tells
nobody twice (``notification_once_per_post``)."""

from django.conf import settings
from django_tasks import task

from accounts.models import User
from forum.markup import mentioned_usernames
from forum.models import ForumSubscription, Post, Topic, TopicSubscription

from .models import Notification
from .services import (
    notification_create,
    notifications_create,
    notifications_forget_hidden,
    unread_counts_repair,
)


def _visible(post: Post) -> bool:
    return post.status == Post.Status.PUBLISHED and post.topic.status in Topic.VISIBLE_STATUSES


@task()
def notify_mentions(*, post_id: int, mentioned_before: list[str] | None = None) -> int:
    """Tell the members a published post mentions (after an edit: those it mentions now and
    did not before), at most ``FORUM_MAX_MENTIONS`` a post, never its author nor a blocked
    or inactive member. Returns how many were told."""
    post = Post.objects.select_related("topic").filter(pk=post_id).first()
    if post is None or not _visible(post):
        return 0  # hidden meanwhile, or still held: told when it is approved
    mentioned = mentioned_usernames(post.body_html)[: settings.FORUM_MAX_MENTIONS]
    already = set(mentioned_before or ())
    usernames = [name for name in mentioned if name not in already]
    members = (
        User.objects.filter(username__in=usernames, is_active=True)
        .exclude(pk=post.author_id)
        .exclude(role=User.Role.BLOCKED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(
        notification_create(
            recipient_id=member_id, kind=Notification.Kind.MENTION, post=post,
            actor_id=post.author_id,
        )
        for member_id in members
    )  # fmt: skip


@task()
def notify_quoted(*, post_id: int, quoted_ids: list[int]) -> int:
    """Tell the authors of the posts a published post quotes (at most
    ``FORUM_MAX_MENTIONS`` of them; posts readers may see; never the quoting author, a
    blocked or an inactive member)."""
    post = Post.objects.select_related("topic").filter(pk=post_id).first()
    if post is None or not _visible(post):
        return 0
    authors = (
        Post.objects.published()
        .filter(pk__in=quoted_ids[: settings.FORUM_MAX_MENTIONS])
        .filter(topic__status__in=Topic.VISIBLE_STATUSES)
        .exclude(author_id=post.author_id)
        .exclude(author__role=User.Role.BLOCKED)
        .filter(author__is_active=True)
        .values_list("author_id", flat=True)
        .distinct()
    )
    return sum(
        notification_create(
            recipient_id=author_id, kind=Notification.Kind.QUOTE, post=post,
            actor_id=post.author_id,
        )
        for author_id in sorted(set(authors))
    )  # fmt: skip


@task()
def notify_author(*, post_id: int, kind: str) -> bool:
    """Tell a post's author it was held for moderation, or approved."""
    post = Post.objects.select_related("topic").filter(pk=post_id).first()
    if post is None:
        return False
    if kind == Notification.Kind.APPROVED and not _visible(post):
        return False
    if kind == Notification.Kind.HELD and post.status != Post.Status.PENDING:
        return False
    return notification_create(recipient_id=post.author_id, kind=kind, post=post)


FAN_OUT_BATCH = 500


@task()
def notify_topic_subscribers(*, post_id: int) -> int:
    """Tell each member following the reply's topic (not its author, nor a blocked or
    inactive member), in batches: a topic followed by a thousand members costs the reply
    that notifies them nothing, and the worker a few statements a batch. Returns how many
    were told."""
    post = Post.objects.select_related("topic").filter(pk=post_id).first()
    if post is None or not _visible(post) or post.pk == post.topic.first_post_id:
        return 0
    followers = TopicSubscription.objects.filter(topic_id=post.topic_id)
    return _fan_out(post, followers, Notification.Kind.REPLY)


@task()
def notify_forum_subscribers(*, post_id: int) -> int:
    """Tell each member following the forum of a new topic (its opening post), as
    :func:`notify_topic_subscribers` does for replies."""
    post = Post.objects.select_related("topic").filter(pk=post_id).first()
    if post is None or not _visible(post) or post.pk != post.topic.first_post_id:
        return 0
    followers = ForumSubscription.objects.filter(forum_id=post.topic.forum_id)
    return _fan_out(post, followers, Notification.Kind.TOPIC)


def _fan_out(post: Post, subscriptions, kind: str) -> int:
    member_ids = (
        subscriptions.filter(member__is_active=True)
        .exclude(member_id=post.author_id)
        .exclude(member__role=User.Role.BLOCKED)
        .order_by("member_id")
        .values_list("member_id", flat=True)
    )
    told, after = 0, 0
    while batch := list(member_ids.filter(member_id__gt=after)[:FAN_OUT_BATCH]):
        told += notifications_create(
            recipient_ids=batch, kind=kind, post=post, actor_id=post.author_id
        )
        after = batch[-1]
    return told


@task()
def forget_hidden(*, post_ids: list[int], topic_ids: list[int], author_ids: list[int]) -> int:
    """Mark read the unread notifications about posts readers may no longer see (those posts,
    the posts of those topics, or of those authors), so the header's count never counts what
    the inbox no longer shows. Returns how many."""
    return notifications_forget_hidden(
        post_ids=post_ids, topic_ids=topic_ids, author_ids=author_ids
    )


@task()
def repair_unread_counts() -> int:
    """Set right the unread counts that differ from the members' unread notifications (after
    posts were deleted with notifications not yet read). Returns how many were wrong."""
    return unread_counts_repair()
