"""Importing guides: each becomes a forum topic through the forum's own service, so counters
are right, and is marked as a guide. Seeding the source guide is one such import.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from forum.models import Forum, Post
from forum.services import topic_create

from .models import Guide
from .sources import SOURCE_GUIDE_PATH, GuideSource, GuideSourceError, read_guide


def guide_already_imported(*, source: GuideSource, forum: Forum) -> Guide | None:
    """The guide a file was imported as before: the guide with its title in its forum (and
    its post number, when the file gives one: another post under that number is an error)."""
    guides = Guide.objects.select_related("topic").filter(
        topic__forum=forum, topic__title=source.title
    )
    if source.post_number:
        guides = guides.filter(topic__first_post_id=source.post_number)
    return guides.first()


@transaction.atomic
def guide_import(*, source: GuideSource, forum: Forum, author) -> Guide:
    """Create the guide's topic (keeping its original date and post number) and mark it.

    The caller checks :func:`guide_already_imported` first; a post number that some other
    post already has is refused.
    """
    if source.post_number and Post.objects.filter(pk=source.post_number).exists():
        raise GuideSourceError(f"Post #{source.post_number} already exists.")
    topic = topic_create(
        forum=forum,
        author=author,
        title=source.title,
        body=source.body,
        created_at=source.posted,
        post_id=source.post_number,
    )
    return Guide.objects.create(topic=topic, summary=source.summary)


@transaction.atomic
def seed_source_guide() -> Guide | None:
    """Make the source guide the very first topic, by its author "admin" (a Keymaster).

    Does nothing when the guide's post already exists, so it is safe to run again. "admin" is
    created as a superuser with an unusable password: the operator sets one with
    ``manage.py changepassword admin``.
    """
    source = read_guide(SOURCE_GUIDE_PATH)
    if Post.objects.filter(pk=source.post_number).exists():
        return None
    user_model = get_user_model()
    author = user_model.objects.filter(username=source.author).first()
    if author is None:
        author = user_model.objects.create_superuser(
            username=source.author, email="", password=None, date_joined=source.posted
        )
    forum, _ = Forum.objects.get_or_create(
        slug=slugify(source.forum),
        defaults={"name": source.forum, "description": "Long-form guides from the community."},
    )
    return guide_import(source=source, forum=forum, author=author)
