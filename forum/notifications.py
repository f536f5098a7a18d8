"""Emails to topic subscribers, and the signed links that unsubscribe without logging in."""

import logging
import re

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Post, TopicSubscription

logger = logging.getLogger(__name__)

_UNSUBSCRIBE_SALT = "forum.unsubscribe"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


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

    Runs after the reply's transaction commits. Nothing here may fail the request that
    saved the reply: a message that cannot be built or sent (a mail server that is down or
    refuses it, a header the mail library rejects) is logged and the others still go.
    Returns the number of emails sent.
    """
    post = Post.objects.select_related("topic", "author").get(pk=post_id)
    subscriptions = (
        TopicSubscription.objects.filter(topic_id=post.topic_id, member__is_active=True)
        .exclude(member_id=post.author_id)
        .exclude(member__email="")
        .select_related("member")
    )
    messages = []
    for subscription in subscriptions:
        try:
            messages.append(_reply_message(post, subscription.member, site_url))
        except Exception:
            logger.exception(
                "Could not build the reply notification for post %s to member %s",
                post_id,
                subscription.member_id,
            )
    if not messages:
        return 0
    sent = 0
    try:
        with get_connection() as connection:
            for message in messages:
                try:
                    sent += connection.send_messages([message]) or 0
                except (OSError, ValueError):
                    # One refused recipient or header: the others still get theirs.
                    logger.exception("Could not send a reply notification for post %s", post_id)
    except OSError:
        logger.exception("Could not reach the mail server for post %s's notifications", post_id)
    return sent


def _one_line(text: str) -> str:
    """Text made safe for a mail header: every run of control characters becomes a space.

    Forms refuse control characters in titles; this keeps older rows (and imports) from
    making the mail library refuse the header.
    """
    return CONTROL_CHARACTERS.sub(" ", text).strip()


def _reply_message(post: Post, member, site_url: str) -> EmailMessage:
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
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
