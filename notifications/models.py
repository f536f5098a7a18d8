"""A member's notifications: something happened that concerns them, about a post."""

from django.conf import settings
from django.db import models

from forum.models import Post


class Notification(models.Model):
    """One thing to tell one member, about one post; each kind once per member and post."""

    class Kind(models.TextChoices):
        MENTION = "mention", "Mentioned you"
        QUOTE = "quote", "Quoted your post"
        REPLY = "reply", "Replied in a topic you follow"
        TOPIC = "topic", "Started a topic in a forum you follow"
        APPROVED = "approved", "Your post was approved"
        HELD = "held", "Your post is held for moderation"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Who did it: the post's author for a mention.",
    )
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # A member's inbox, newest first.
            models.Index(fields=["recipient", "-created_at", "-id"]),
            # Pruning by age.
            models.Index(fields=["created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "post", "kind"], name="notification_once_per_post"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: #{self.post_id} for {self.recipient_id}"
