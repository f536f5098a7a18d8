"""What unread tracking does when ``forum`` announces that a member read a topic page."""

from django.dispatch import receiver

from forum import events

from .services import topic_read_record


@receiver(events.topic_viewed, dispatch_uid="reading.topic_viewed")
def _topic_viewed(sender, *, member, topic, read_through, **kwargs) -> None:
    topic_read_record(member=member, topic=topic, read_through=read_through)
