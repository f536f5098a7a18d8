"""What an import from bbPress remembers: which rows came from which WordPress post or user,
so that running the import again updates them instead of creating them twice, and the old
slugs and ids the site's old links use (``importer.middleware``).

Posts need no such table: each keeps its WordPress post id as its own id (its "#<number>").
"""

from django.conf import settings
from django.db import models

from forum.models import Forum, Post, Topic


class ImportedMember(models.Model):
    """A WordPress user the export named as an author; ``wp_id`` 0 is bbPress's guests."""

    wp_id = models.PositiveBigIntegerField(primary_key=True)
    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    def __str__(self) -> str:
        return f"WordPress user {self.wp_id}"


class ImportedForum(models.Model):
    """A bbPress forum, its WordPress id and slug (which ``/?p=`` and ``/?forum=`` name)."""

    wp_id = models.PositiveBigIntegerField(primary_key=True)
    forum = models.OneToOneField(Forum, on_delete=models.CASCADE, related_name="+")
    wp_slug = models.CharField(max_length=200, db_index=True)

    def __str__(self) -> str:
        return f"WordPress forum {self.wp_id}"


class ImportedTopic(models.Model):
    """A bbPress topic, its WordPress id (also its opening post's id) and slug."""

    wp_id = models.PositiveBigIntegerField(primary_key=True)
    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="+")
    wp_slug = models.CharField(max_length=200, db_index=True)

    def __str__(self) -> str:
        return f"WordPress topic {self.wp_id}"


class ImportedReplySlug(models.Model):
    """A reply whose bbPress slug was not its id (``/forums/reply/<slug>/``)."""

    slug = models.CharField(max_length=200, primary_key=True)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return self.slug
