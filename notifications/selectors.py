"""Reading notifications: the inbox as its page shows it (a member's notifications, newest
first, in ready rows), what each says, and members' email preferences."""

from typing import TypedDict

from django.core.paginator import Page
from django.db.models import Q

from accounts.models import User
from forum.models import Post, Topic
from forum.rows import url_format
from forum.selectors import paginate
from forum.timesince import bbp_time_since, machine_date

from .models import EmailPreferences, Notification

PER_PAGE = 25

# What the inbox shows: a notification about someone else's post only while readers may see
# that post (it may have been hidden since); a member's own post's, always.
_shown = Q(post__status=Post.Status.PUBLISHED, post__topic__status__in=Topic.VISIBLE_STATUSES) | Q(
    kind__in=[Notification.Kind.HELD, Notification.Kind.APPROVED]
)


class InboxRow(TypedDict):
    id: int
    unread: bool
    text: str  # "alice mentioned you in …", without the topic's title
    topic_title: str
    permalink: str
    since: str
    created_iso: str


def inbox_page(member: User, *, page_number: int) -> Page:
    """One page of ``member``'s notifications: two queries (the total, the page with each
    notification's post, topic and actor)."""
    mine = Notification.objects.filter(recipient=member).filter(_shown)
    notifications = (
        mine.select_related("post__topic", "actor")
        .only(
            "kind",
            "created_at",
            "read_at",
            "post__topic__title",
            "post__status",
            "post__topic__status",
            "actor__username",
            "actor__display_name",
        )
        .order_by("-created_at", "-id")
    )
    page = paginate(
        notifications,
        per_page=PER_PAGE,
        count=mine.count(),
        page_number=page_number,
    )
    post_url = url_format("forum:post", post_id=0)
    page.object_list = [
        {
            "id": notification.pk,
            "unread": notification.read_at is None,
            "text": notification_text(notification),
            "topic_title": notification.post.topic.title,
            "permalink": post_url.format(notification.post_id),
            "since": bbp_time_since(notification.created_at),
            "created_iso": machine_date(notification.created_at),
        }
        for notification in page.object_list
    ]
    return page


def notification_text(notification: Notification) -> str:
    """What happened, without the topic's title: "alice mentioned you in"; the actor by their
    public name alone (never an address or other private data)."""
    actor = notification.actor.public_name if notification.actor else "Someone"
    kind = notification.kind
    if kind == Notification.Kind.MENTION:
        return f"{actor} mentioned you in"
    if kind == Notification.Kind.QUOTE:
        return f"{actor} quoted you in"
    if kind == Notification.Kind.REPLY:
        return f"{actor} replied to"
    if kind == Notification.Kind.TOPIC:
        return f"{actor} started"
    if kind == Notification.Kind.APPROVED:
        return "A moderator approved your post in"
    if kind == Notification.Kind.HELD:
        return "Your post is waiting for a moderator in"
    return notification.get_kind_display()


def email_preferences_for(member_ids: list[int]) -> dict[int, EmailPreferences]:
    """Each member's email preferences, one query: their row, or the defaults (unsaved)."""
    saved = {
        row.member_id: row for row in EmailPreferences.objects.filter(member_id__in=member_ids)
    }
    return {pk: saved.get(pk) or EmailPreferences(member_id=pk) for pk in member_ids}
