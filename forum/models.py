"""Forums, topics and posts, with the denormalised counters the pages read.

Counters are written only by ``forum.services`` (in the same transaction as the rows they
count) and recomputed by the ``recount`` command; nothing here updates them.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from accounts.validators import multi_line, single_line


class Forum(models.Model):
    """A forum, or a category when it holds other forums."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=120, validators=[single_line])
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(blank=True, validators=[multi_line])
    position = models.IntegerField(default=0, help_text="Lower numbers come first.")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    topic_count = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    last_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_active_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:forum", kwargs={"slug": self.slug})


class Tag(models.Model):
    """A topic tag, as bbPress has them: topics list theirs as "Tagged: …", and each tag has a
    page of its topics. Names and slugs come from ``forum.tagging``."""

    name = models.CharField(max_length=30, unique=True, validators=[single_line])
    slug = models.SlugField(max_length=40, unique=True, allow_unicode=True)
    topic_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Visible topics with this tag."
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["-topic_count", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:tag", kwargs={"slug": self.slug})


class TopicQuerySet(models.QuerySet):
    def visible(self) -> "TopicQuerySet":
        """Topics readers can see: open or closed, not pending, spam or trash."""
        return self.filter(status__in=Topic.VISIBLE_STATUSES)


class Topic(models.Model):
    """A thread. Its opening post is its first ``Post``; replies are the rest."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        PENDING = "pending", "Pending"
        SPAM = "spam", "Spam"
        TRASH = "trash", "Trash"

    class Pin(models.IntegerChoices):
        NONE = 0, "Not stuck"
        STICKY = 1, "Sticky"
        SUPER_STICKY = 2, "Super sticky"

    VISIBLE_STATUSES = (Status.OPEN, Status.CLOSED)

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="topics")
    title = models.CharField(max_length=80, validators=[single_line])
    slug = models.SlugField(max_length=100, unique=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="topics"
    )
    created_at = models.DateTimeField()
    last_active_at = models.DateTimeField()
    first_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply_count = models.PositiveIntegerField(default=0, help_text="Published replies.")
    hidden_reply_count = models.PositiveIntegerField(
        default=0, help_text="Pending, spam and trashed replies."
    )
    voice_count = models.PositiveIntegerField(
        default=0, help_text="Distinct authors of published posts."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    pin = models.PositiveSmallIntegerField(choices=Pin.choices, default=Pin.NONE)
    tags = models.ManyToManyField(Tag, blank=True, related_name="topics")

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["-pin", "-last_active_at"]
        # Each in a list's exact order, its filter's columns last, so a page's keys are read
        # from the index alone however deep the page (``forum.selectors.DeferredRows``).
        indexes = [
            # A forum's topics: visible ones, stickies first, then the latest active.
            models.Index(fields=["forum", "-pin", "-last_active_at", "-id", "status"]),
            # A member's Topics Started, newest first.
            models.Index(fields=["author", "-created_at", "-id", "status"]),
            # The super sticky topics every forum's first page starts with (a handful): without
            # it, finding them read every topic of every forum.
            models.Index(
                fields=["-last_active_at", "-id"],
                condition=models.Q(pin=2),  # Pin.SUPER_STICKY (not in scope in Meta)
                name="topic_super_sticky",
            ),
            # Every forum's topics, the latest active first (``/topics/``), and the same for
            # the topics without replies (``/forums/view/no-replies/``).
            models.Index(fields=["-last_active_at", "-id", "status", "pin"]),
            models.Index(
                fields=["-last_active_at", "-id", "status"],
                condition=models.Q(reply_count=0),
                name="topic_no_replies",
            ),
            # The most replied-to first (``/forums/view/popular/``).
            models.Index(fields=["-reply_count", "-last_active_at", "-id", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:topic", kwargs={"slug": self.slug})

    @property
    def post_count(self) -> int:
        """Published posts, the opening post included."""
        return self.reply_count + 1


class PostQuerySet(models.QuerySet):
    def published(self) -> "PostQuerySet":
        return self.filter(status=Post.Status.PUBLISHED)

    def in_thread_order(self) -> "PostQuerySet":
        return self.order_by("created_at", "id")


class Post(models.Model):
    """A topic's opening post or a reply. ``id`` is the "#<number>" permalink, as in bbPress."""

    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        PENDING = "pending", "Pending"
        SPAM = "spam", "Spam"
        TRASH = "trash", "Trash"

    class BodyFormat(models.TextChoices):
        MARKDOWN = "markdown", "Markdown"
        # A post brought from bbPress: HTML with WordPress's automatic paragraphs and
        # shortcodes, rendered by ``forum.legacy_html`` through the same sanitiser.
        BBPRESS_HTML = "bbpress-html", "bbPress HTML"

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    body = models.TextField(help_text="Markdown, as the author typed it.", validators=[multi_line])
    body_format = models.CharField(
        max_length=12, choices=BodyFormat.choices, default=BodyFormat.MARKDOWN, editable=False
    )
    body_html = models.TextField(editable=False, help_text="Rendered and sanitised at write time.")
    # A guest's post (bbPress allows them; only imports make them here): ``author`` is the
    # one guest account, and the post shows the name it was written under.
    guest_name = models.CharField(max_length=100, blank=True, validators=[single_line])
    guest_website = models.URLField(blank=True, validators=[single_line])
    reply_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The reply this one answers (bbPress's threaded replies).",
    )
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    author_ip = models.GenericIPAddressField(null=True, blank=True)
    idempotency_token = models.UUIDField(null=True, blank=True)
    # What ``forum.selectors.created_replies`` says, kept on the row so a member's Replies
    # Created reaches any page through one index, without reading every topic on the way.
    # Set by reply_create, refreshed for every topic the moderation services touch
    # (``forum.recount.refresh_listed_replies``), checked and repaired by ``recount``.
    listed_as_reply = models.BooleanField(
        default=False,
        editable=False,
        help_text="A published reply (not the opening post) in a visible topic.",
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        # Each in a list's exact order (``forum.selectors.DeferredRows``).
        indexes = [
            # A thread as readers see it (published posts), and ``post_page_number``.
            models.Index(fields=["topic", "status", "created_at", "id"]),
            # A thread as moderators see it: every status.
            models.Index(fields=["topic", "created_at", "id"]),
            # A member's published posts with their topics (Engagements), without the rows.
            models.Index(fields=["author", "status", "-created_at", "-id", "topic"]),
            # Flood control: a member's latest posts, whatever their status.
            models.Index(fields=["author", "created_at"]),
            # The checks a reply makes in its topic, inside the write lock (a new voice? the
            # same reply twice?): the member's posts there, not the topic's 100,000.
            models.Index(fields=["topic", "author", "status"]),
            # A member's Replies Created, newest first.
            models.Index(
                fields=["author", "-created_at", "-id"],
                condition=models.Q(listed_as_reply=True),
                name="post_replies_created",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "idempotency_token"], name="post_unique_idempotency_token"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} in {self.topic_id}"

    def get_absolute_url(self) -> str:
        return reverse("forum:post", kwargs={"post_id": self.pk})


class PostRevision(models.Model):
    """One edit of a post: who, when, why, and the text as it was before the edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="post_revisions"
    )
    reason = models.CharField(max_length=100, blank=True, validators=[single_line])
    previous_body = models.TextField(help_text="The markdown before this edit.")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "created_at"])]

    def __str__(self) -> str:
        return f"Edit of #{self.post_id} by {self.editor_id}"


class TopicSubscription(models.Model):
    """A member who gets an email for every new reply in a topic."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="subscriptions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "member"], name="topic_subscription_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} follows {self.topic_id}"


class ForumSubscription(models.Model):
    """A member who is told of every new topic in a forum, as bbPress's forum subscriptions."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="subscriptions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["forum", "member"], name="forum_subscription_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} follows forum {self.forum_id}"


class TopicFavorite(models.Model):
    """A topic a member marked as a favorite (listed on their Favorites page)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="favorites")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_favorites"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "member"], name="topic_favorite_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} likes {self.topic_id}"


class Report(models.Model):
    """A member's report of a post to the moderators; one per member and post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    reason = models.TextField(max_length=500, validators=[multi_line])
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports_resolved",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="report_once_per_post")
        ]

    def __str__(self) -> str:
        return f"Report on #{self.post_id} by {self.reporter_id}"
