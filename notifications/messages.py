"""What a notification email says: one notification alone with the post's text, several (or a
daily digest) as a list; why it came, and the one-click link that stops it. Written from rows
the caller loaded (each notification's post, topic, forum and actor), naming members by their
public name only."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from accounts.validators import one_line
from forum.unsubscribe import forum_unsubscribe_token, unsubscribe_token

from .models import PREFERENCE_OF_KIND, EmailPreferences, Notification
from .selectors import notification_text
from .unsubscribe import kinds_unsubscribe_token

# The most notifications one email lists; the rest are counted, and are in the inbox.
LISTED = 50


def notification_email(
    member: User, notifications: list[Notification], *, digest: bool
) -> EmailMessage:
    """The email telling ``member`` of ``notifications`` (their posts and topics loaded): one
    of a kind alone says it all, with the post's text; several, or a digest, are a list."""
    site_url = settings.FORUM_SITE_URL
    site_name = settings.FORUM_SITE_NAME
    first = notifications[0]
    single = len(notifications) == 1 and not digest
    unsubscribe_url, unsubscribe_label, why = _unsubscribe(
        member, notifications, single=single, digest=digest
    )
    context = {
        "site_name": site_name,
        "digest": digest,
        "count": len(notifications),
        "rows": [
            {
                "text": notification_text(notification),
                "title": one_line(notification.post.topic.title),
                "url": site_url + notification.post.get_absolute_url(),
            }
            for notification in notifications[:LISTED]
        ],
        "more": max(0, len(notifications) - LISTED),
        "inbox_url": site_url + reverse("notifications:inbox"),
        "preferences_url": site_url + reverse("notifications:email_preferences"),
        "why": why,
        "unsubscribe_url": unsubscribe_url,
        "unsubscribe_label": unsubscribe_label,
    }
    if single:
        context |= _single_context(first)
        subject = context["subject"]
        template = "notifications/email/one.txt"
    else:
        what = "Your daily digest" if digest else "What is new for you"
        subject = (
            f"{what}: {len(notifications):,} notification{'s' if len(notifications) > 1 else ''}"
        )
        template = "notifications/email/several.txt"
    host = urlsplit(site_url).hostname or "localhost"
    return EmailMessage(
        subject=one_line(f"[{site_name}] {subject}"),
        body=render_to_string(template, context),
        to=[member.email],
        headers={
            # The same id however often it is written: mail clients show a duplicate once.
            "Message-ID": f"<notifications-{member.pk}-{first.pk}-{len(notifications)}@{host}>",
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _single_context(notification: Notification) -> dict:
    post = notification.post
    title = one_line(post.topic.title)
    actor = notification.actor.public_name if notification.actor else "Someone"
    kind = notification.kind
    own_post = kind in (Notification.Kind.APPROVED, Notification.Kind.HELD)
    if kind == Notification.Kind.REPLY:
        subject, lead, link = f"Reply to: {title}", f'{actor} wrote in "{title}":', "the reply"
    elif kind == Notification.Kind.TOPIC:
        forum = one_line(post.topic.forum.name)
        subject = f"New topic in {forum}: {title}"
        lead, link = f'{actor} started "{title}" in {forum}:', "the topic"
    else:
        text = notification_text(notification)
        subject = f"{text}: {title}"
        lead, link = f'{text} "{title}"{"." if own_post else ":"}', "the post"
    return {
        "subject": subject,
        "lead": lead,
        "body": "" if own_post else post.body,
        "link": link,
        "post_url": settings.FORUM_SITE_URL + post.get_absolute_url(),
    }


def _unsubscribe(
    member: User, notifications: list[Notification], *, single: bool, digest: bool
) -> tuple[str, str, str]:
    """The one-click link of an email, what it is labelled, and why the email came: a single
    reply unsubscribes from its topic, a single new topic from its forum (forum's links);
    anything else turns off the email preferences of the kinds it lists."""
    site_url = settings.FORUM_SITE_URL
    site_name = settings.FORUM_SITE_NAME
    first = notifications[0]
    if single and first.kind == Notification.Kind.REPLY:
        token = unsubscribe_token(member_id=member.pk, topic_id=first.post.topic_id)
        return (
            site_url + reverse("forum:unsubscribe", kwargs={"token": token}),
            "Unsubscribe from this topic",
            f"You are getting this email because you subscribed to this topic on {site_name}.",
        )
    if single and first.kind == Notification.Kind.TOPIC:
        forum = first.post.topic.forum
        token = forum_unsubscribe_token(member_id=member.pk, forum_id=forum.pk)
        return (
            site_url + reverse("forum:forum_unsubscribe", kwargs={"token": token}),
            "Unsubscribe from this forum",
            f"You are getting this email because you follow the forum {forum.name} on {site_name}.",
        )
    fields = sorted({PREFERENCE_OF_KIND[n.kind] for n in notifications})
    token = kinds_unsubscribe_token(member_id=member.pk, fields=fields)
    return (
        site_url + reverse("notifications:unsubscribe", kwargs={"token": token}),
        "Stop these emails",
        f"You are getting this email because your email preferences on {site_name} say to "
        f"email you {'a daily digest of' if digest else 'at once about'} "
        f"{', '.join(EmailPreferences.ABOUT[field] for field in fields)}.",
    )
