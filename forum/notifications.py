"""Emails to topic subscribers, and the signed links that unsubscribe without logging in."""

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Post, TopicSubscription

logger = logging.getLogger(__name__)

_UNSUBSCRIBE_SALT = "forum.unsubscribe"


def unsubscribe_token(*, member_id: int, topic_id: int) -> str:
    return signing.dumps([member_id, topic_id], salt=_UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    """The (member id, topic id) a token was made for, or ``None`` if it was tampered with."""
    try:
        member_id, topic_id = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return int(member_id), int(topic_id)


def send_reply_notifications(*, post_id: int, site_url: str) -> int:
    """Email each subscriber of the post's topic (not its author) about the new reply.

    Runs after the reply's transaction commits. A mail server failure is logged, not raised:
    the reply is already saved and the member who wrote it should not see an error.
    Returns the number of emails sent.
    """
    post = Post.objects.select_related("topic", "author").get(pk=post_id)
    subscriptions = (
        TopicSubscription.objects.filter(topic_id=post.topic_id, member__is_active=True)
        .exclude(member_id=post.author_id)
        .exclude(member__email="")
        .select_related("member")
    )
    post_url = f"{site_url}{post.get_absolute_url()}"
    messages = []
    for subscription in subscriptions:
        unsubscribe_url = site_url + reverse(
            "forum:unsubscribe",
            kwargs={
                "token": unsubscribe_token(member_id=subscription.member_id, topic_id=post.topic_id)
            },
        )
        body = render_to_string(
            "forum/email/reply_notification.txt",
            {
                "post": post,
                "topic": post.topic,
                "member": subscription.member,
                "post_url": post_url,
                "unsubscribe_url": unsubscribe_url,
                "site_name": settings.FORUM_SITE_NAME,
            },
        )
        messages.append(
            EmailMessage(
                subject=f"[{settings.FORUM_SITE_NAME}] Reply to: {post.topic.title}",
                body=body,
                to=[subscription.member.email],
                headers={
                    "List-Unsubscribe": f"<{unsubscribe_url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
        )
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except OSError:
        logger.exception("Could not send reply notifications for post %s", post_id)
        return 0
