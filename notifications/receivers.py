"""What the notifications room does when ``forum`` announces something (``forum.events``):
queue the task that does the work, so the request that published the post never waits."""

from django.dispatch import receiver

from forum import events

from . import tasks
from .models import Notification


@receiver(events.post_published, dispatch_uid="notifications.post_published")
def _post_published(
    sender,
    *,
    post_id: int,
    approved: bool,
    opening: bool,
    mentions: list[str],
    quotes: list[int],
    **kwargs,
) -> None:
    if mentions:
        tasks.notify_mentions.enqueue(post_id=post_id)
    if quotes:
        tasks.notify_quoted.enqueue(post_id=post_id, quoted_ids=quotes)
    if opening:
        tasks.notify_forum_subscribers.enqueue(post_id=post_id)
    else:
        tasks.notify_topic_subscribers.enqueue(post_id=post_id)
    if approved:
        tasks.notify_author.enqueue(post_id=post_id, kind=Notification.Kind.APPROVED)


@receiver(events.post_held, dispatch_uid="notifications.post_held")
def _post_held(sender, *, post_id: int, **kwargs) -> None:
    tasks.notify_author.enqueue(post_id=post_id, kind=Notification.Kind.HELD)


@receiver(events.post_edited, dispatch_uid="notifications.post_edited")
def _post_edited(
    sender, *, post_id: int, mentions: list[str], mentioned_before: list[str], **kwargs
) -> None:
    if set(mentions) - set(mentioned_before):
        tasks.notify_mentions.enqueue(post_id=post_id, mentioned_before=mentioned_before)


@receiver(events.posts_hidden, dispatch_uid="notifications.posts_hidden")
def _posts_hidden(
    sender, *, post_ids: list[int], topic_ids: list[int], author_ids: list[int], **kwargs
) -> None:
    tasks.forget_hidden.enqueue(post_ids=post_ids, topic_ids=topic_ids, author_ids=author_ids)


@receiver(events.posts_deleted, dispatch_uid="notifications.posts_deleted")
def _posts_deleted(sender, **kwargs) -> None:
    # Their notifications went with them; if some were still unread (the post was deleted
    # before ``forget_hidden`` ran), the counts are set right again.
    tasks.repair_unread_counts.enqueue()
