"""Emails to topic subscribers, and the signed links that unsubscribe without logging in."""

import logging
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from accounts.validators import NOT_IN_ONE_LINE

from .models import Post, Topic, TopicSubscription

logger = logging.getLogger(__name__)

_UNSUBSCRIBE_SALT = "forum.unsubscribe"
# Runs of what a single-line field refuses (accounts.validators), for mail headers.
CONTROL_CHARACTERS = re.compile(f"(?:{NOT_IN_ONE_LINE.pattern})+")


def unsubscribe_token(*, member_id: int, topic_id: int) -> str:
    return signing.dumps([member_id, topic_id], salt=_UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    """The (member id, topic id) a token was made for, or ``None`` if it was tampered with."""
    try:
        member_id, topic_id = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return int(member_id), int(topic_id)


@task()
def send_reply_notifications(*, post_id: int) -> int:
    """Email each subscriber of the post's topic (not its author) about the reply: a task,
    queued when the reply is published (on posting, or when a moderator approves it).

    Each message is built and queued on its own (the mail room delivers it, retrying while
    the mail server is away): one that cannot be built or that the mail library refuses (a
    header it rejects) is logged and the others still go. A reply hidden again before this
    runs notifies nobody. Returns the number of emails queued.
    """
    post = Post.objects.select_related("topic", "author").get(pk=post_id)
    if post.status != Post.Status.PUBLISHED or post.topic.status not in Topic.VISIBLE_STATUSES:
        return 0
    subscriptions = (
        TopicSubscription.objects.filter(topic_id=post.topic_id, member__is_active=True)
        .exclude(member_id=post.author_id)
        .exclude(member__email="")
        .select_related("member")
        .order_by("pk")
    )
    sent = 0
    with get_connection() as connection:
        for subscription in subscriptions.iterator(chunk_size=500):
            try:
                message = _reply_message(post, subscription.member)
                sent += connection.send_messages([message]) or 0
            except Exception:
                logger.exception(
                    "Could not send a reply notification for post %s to member %s",
                    post_id,
                    subscription.member_id,
                )
    return sent


def _one_line(text: str) -> str:
    """Text made safe for a mail header: every run of control characters becomes a space.

    Forms refuse control characters in titles; this keeps older rows (and imports) from
    making the mail library refuse the header.
    """
    return CONTROL_CHARACTERS.sub(" ", text).strip()


def _reply_message(post: Post, member) -> EmailMessage:
    site_url = settings.FORUM_SITE_URL
    host = urlsplit(site_url).hostname or "localhost"
    unsubscribe_url = site_url + reverse(
        "forum:unsubscribe",
        kwargs={"token": unsubscribe_token(member_id=member.pk, topic_id=post.topic_id)},
    )
    body = render_to_string(
        "forum/email/reply_notification.txt",
        {
            "post": post,
            "topic": post.topic,
            "member": member,
            "post_url": f"{site_url}{post.get_absolute_url()}",
            "unsubscribe_url": unsubscribe_url,
            "site_name": settings.FORUM_SITE_NAME,
        },
    )
    return EmailMessage(
        subject=_one_line(f"[{settings.FORUM_SITE_NAME}] Reply to: {post.topic.title}"),
        body=body,
        to=[member.email],
        headers={
            # The same id however often the task runs: mail clients show a duplicate once.
            "Message-ID": f"<reply-{post.pk}-{member.pk}@{host}>",
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
