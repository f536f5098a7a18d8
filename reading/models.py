"""What a member has read, kept in a shape that does not grow with their history.

Everything older than ``UNREAD_TRACKING_DAYS`` counts as read for everyone, and so does
everything before the member joined: that is the *floor*. Above it, a :class:`ReadMark` says
"everything before this time is read", for the whole site (``forum`` empty: "Mark all as
read") or for one forum; a :class:`TopicRead` row says how far the member has read one topic
after those marks. Rows below the floor or under a mark say nothing and are deleted
(``reading.services``), so a member who has read ten thousand topics keeps about as many rows
as one who has read ten.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from forum.models import Forum, Topic


class ReadMark(models.Model):
    """Everything posted before ``marked_at`` is read: on the whole site, or in one forum."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    forum = models.ForeignKey(
        Forum, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "forum"], name="read_mark_once_per_forum"),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(forum__isnull=True),
                name="read_mark_once_per_site",
            ),
        ]

    def __str__(self) -> str:
        where = f"forum {self.forum_id}" if self.forum_id else "the site"
        return f"{self.member_id} read {where} before {self.marked_at:%Y-%m-%d %H:%M}"


class TopicRead(models.Model):
    """A member has read ``topic`` up to the post written at ``read_through``."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    read_through = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "topic"], name="topic_read_once")]
        indexes = [models.Index(fields=["read_through"])]

    def __str__(self) -> str:
        return f"{self.member_id} read topic {self.topic_id} through {self.read_through}"
