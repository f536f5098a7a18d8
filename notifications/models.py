"""A member's notifications (something happened that concerns them, about a post), and how
they want to hear of them by email."""

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
    # Set (by a conditional UPDATE) when an email about it is written: never emailed twice.
    emailed_at = models.DateTimeField(null=True, blank=True)

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


class EmailWhen(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately"
    DIGEST = "digest", "In a daily digest"
    OFF = "off", "Not at all"


def _email_when(label: str, default: EmailWhen) -> models.CharField:
    return models.CharField(label, max_length=12, choices=EmailWhen.choices, default=default)


class EmailPreferences(models.Model):
    """How a member wants each kind of notification emailed: one row per member, made the
    first time they save the page or are emailed; a member without one has the defaults."""

    When = EmailWhen

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="email_preferences",
    )
    # The defaults flood nobody: what is about the member's own words goes soon (and a burst
    # as one email, at most one per NOTIFICATIONS_EMAIL_MIN_GAP_MINUTES); a busy forum's new
    # topics once a day.
    mention = _email_when("when someone mentions you", EmailWhen.IMMEDIATELY)
    quote = _email_when("when someone quotes your post", EmailWhen.IMMEDIATELY)
    reply = _email_when("replies in topics you follow", EmailWhen.IMMEDIATELY)
    topic = _email_when("new topics in forums you follow", EmailWhen.DIGEST)
    moderation = _email_when("your posts held for moderation, or approved", EmailWhen.IMMEDIATELY)
    # Bookkeeping, claimed with conditional UPDATEs so that two tasks never both send: the
    # last "immediately" email (the gap runs from it) and the last daily digest (one a day).
    last_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    # What each preference is about, as the emails and the unsubscribe page name it.
    ABOUT = {
        "mention": "mentions of you",
        "quote": "quotes of your posts",
        "reply": "replies in topics you follow",
        "topic": "new topics in forums you follow",
        "moderation": "the moderation of your posts",
    }

    class Meta:
        verbose_name_plural = "email preferences"

    def __str__(self) -> str:
        return f"Email preferences of {self.member_id}"

    def kinds(self, when: str) -> list[str]:
        """The notification kinds this member wants emailed ``when``."""
        return [kind for kind, field in PREFERENCE_OF_KIND.items() if getattr(self, field) == when]


# Which preference decides the email of each kind of notification.
PREFERENCE_OF_KIND = {
    Notification.Kind.MENTION: "mention",
    Notification.Kind.QUOTE: "quote",
    Notification.Kind.REPLY: "reply",
    Notification.Kind.TOPIC: "topic",
    Notification.Kind.APPROVED: "moderation",
    Notification.Kind.HELD: "moderation",
}
