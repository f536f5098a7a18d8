"""Who may do what: small predicates that views, services and templates all use.

Each ``*_refusal`` function returns bbPress's message when the answer is no, or ``None`` when
the member may go ahead, so the page and the server-side check say the same thing.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import User, may_act_on

from .models import Forum, Post, Topic

CANNOT_REPLY = "You cannot reply to this topic."
CANNOT_CREATE_TOPICS = "You cannot create new topics."


def is_moderator(user: User) -> bool:
    """Keymasters (superusers) and Moderators: they moderate every forum."""
    return user.is_authenticated and (user.is_superuser or user.role == User.Role.MODERATOR)


def may_write(user: User) -> bool:
    """Participants and above; Spectators read only and Blocked members cannot post."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in (User.Role.MODERATOR, User.Role.PARTICIPANT))
    )


def forum_closed_message(forum: Forum) -> str:
    return f"The forum ‘{forum.name}’ is closed to new topics and replies."


def topic_closed_message(topic: Topic) -> str:
    return f"The topic ‘{topic.title}’ is closed to new replies."


def new_topic_refusal(user: User, forum: Forum) -> str | None:
    if not may_write(user):
        return CANNOT_CREATE_TOPICS
    if forum.status == Forum.Status.CLOSED and not is_moderator(user):
        return forum_closed_message(forum)
    return None


def reply_refusal(user: User, topic: Topic) -> str | None:
    """Why ``user`` may not reply to ``topic`` (its ``forum`` loaded), or ``None``."""
    if not may_write(user):
        return CANNOT_REPLY
    if is_moderator(user):
        return None
    if topic.forum.status == Forum.Status.CLOSED:
        return forum_closed_message(topic.forum)
    if topic.status != Topic.Status.OPEN:
        return topic_closed_message(topic)
    return None


def edit_window_open(post: Post) -> bool:
    return timezone.now() - post.created_at <= timedelta(seconds=settings.FORUM_EDIT_WINDOW_SECONDS)


def may_moderate(user: User, author: User) -> bool:
    """Whether ``user`` may hide (spam, trash, hold), restore or edit what ``author`` wrote.

    Moderators may, for their own posts and those of the members below them; only
    Keymasters may for Moderators' and Keymasters' posts (``accounts.models.may_act_on``).
    Organising topics (close, stick, move, merge, split) is open to every moderator.
    """
    return is_moderator(user) and (author.pk == user.pk or may_act_on(user, author))


def can_edit(user: User, post: Post) -> bool:
    """Authors edit their own published posts within the edit window; moderators the posts
    they may moderate, at any time."""
    if is_moderator(user):
        return may_moderate(user, post.author)
    return (
        may_write(user)
        and post.author_id == user.pk
        and post.status == Post.Status.PUBLISHED
        and edit_window_open(post)
    )


def may_report(user: User, post: Post) -> bool:
    """Members who may post report others' posts (their own they can edit or ask about)."""
    return may_write(user) and post.author_id != user.pk
