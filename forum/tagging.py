"""Topic tags: reading what a member typed, setting a topic's tags, keeping each tag's count
of visible topics, and the reads the tag pages need.

A tag is known by its slug: "Squat Depth", "squat depth" and "squat-depth" are one tag, named
as it was first written. ``Tag.topic_count`` counts the tag's visible topics: it decides
whether the tag has a page at all and orders the popular tags. It moves in the transaction
of every write that can change it: :func:`topic_set_tags` here, and
``forum.recount.recount_topics_and_forums``, which every moderation and restructuring service
calls for the topics it touched; ``manage.py recount`` repairs it.
"""

import re
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.db import IntegrityError, transaction
from django.db.models import Aggregate, CharField, Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from django.utils.text import slugify

from accounts.validators import single_line

from . import page_cache
from .models import Tag, Topic
from .rows import TOPIC_ROW_FIELDS, TOPIC_ROW_RELATED, topic_rows, url_format
from .selectors import paginate

MAX_TAGS = 5
MAX_TAG_LENGTH = Tag._meta.get_field("name").max_length
_SPACES = re.compile(r"\s+")


def tag_slug(name: str) -> str:
    return slugify(name, allow_unicode=True)[: Tag._meta.get_field("slug").max_length]


def parse_tag_names(text: str) -> list[str]:
    """The tag names in ``text`` (comma-separated, as bbPress takes them), each with its
    spaces tidied and once per slug; :class:`ValidationError` says what is wrong."""
    names: dict[str, str] = {}
    for part in text.split(","):
        name = _SPACES.sub(" ", part).strip()
        if not name:
            continue
        single_line(name)
        if len(name) > MAX_TAG_LENGTH:
            raise ValidationError(
                f"Tags are at most {MAX_TAG_LENGTH} characters long; “{name[:40]}” is longer."
            )
        slug = tag_slug(name)
        if not slug:
            raise ValidationError(f"“{name}” has no letters or digits: a tag needs some.")
        names.setdefault(slug, name)
    if len(names) > MAX_TAGS:
        raise ValidationError(f"A topic has at most {MAX_TAGS} tags; you gave {len(names)}.")
    return list(names.values())


def _tags_named(names: Iterable[str]) -> list[Tag]:
    """The tag of each name: the one with its slug, else the one with its name (a
    moderator may have renamed a tag without changing its address), else a new one."""
    tags = []
    for name in names:
        slug = tag_slug(name)
        tag = _existing_tag(slug, name)
        if tag is None:
            try:
                with transaction.atomic():  # another member may make it at the same moment
                    tag = Tag.objects.create(name=name, slug=slug)
            except IntegrityError:
                tag = _existing_tag(slug, name)
                if tag is None:
                    raise
        tags.append(tag)
    return tags


def _existing_tag(slug: str, name: str) -> Tag | None:
    return Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name__iexact=name).first()


@transaction.atomic
def topic_set_tags(*, topic: Topic, names: list[str]) -> None:
    """Give ``topic`` exactly the tags ``names`` (already read by :func:`parse_tag_names`)."""
    before = set(topic.tags.values_list("pk", flat=True))
    tags = _tags_named(names)
    after = {tag.pk for tag in tags}
    if before != after:
        _lock(before | after)
        topic.tags.set(tags)
        tags_recount(before | after)
        page_cache.expire_topic_pages([topic.slug])
        page_cache.expire_lists()


@transaction.atomic
def tags_merge(*, tags: Iterable[Tag], into: Tag) -> int:
    """Give every topic of ``tags`` the tag ``into`` instead, and delete ``tags``; returns
    how many tags went. Topics tagged with both keep ``into`` once."""
    others = [tag.pk for tag in tags if tag.pk != into.pk]
    links = Topic.tags.through.objects
    already = links.filter(tag_id=into.pk).values("topic_id")
    topic_ids = set(
        links.filter(tag_id__in=others)
        .exclude(topic_id__in=already)
        .values_list("topic_id", flat=True)
    )
    links.bulk_create([links.model(tag_id=into.pk, topic_id=pk) for pk in topic_ids])
    Tag.objects.filter(pk__in=others).delete()
    tags_recount([into.pk])
    page_cache.expire_all_pages()
    return len(others)


def _lock(tag_ids: Iterable[int]) -> None:
    """Lock these tags' rows, by key (tags come last in the lock order: after topics, forums
    and members). Two writers counting one tag's topics at once would each count without
    the other's link, the last write winning; the second now waits and counts again."""
    list(Tag.objects.select_for_update().filter(pk__in=list(tag_ids)).order_by("pk").values("pk"))


def tags_recount(tag_ids: Iterable[int]) -> None:
    """Set these tags' ``topic_count`` from the rows: their rows locked, then one UPDATE."""
    tag_ids = sorted(set(tag_ids))
    if not tag_ids:
        return
    _lock(tag_ids)
    Tag.objects.filter(pk__in=tag_ids).update(topic_count=visible_topic_count())


def visible_topic_count() -> Coalesce:
    """What a tag's ``topic_count`` should be, as an expression over ``Tag``."""
    visible = (
        Topic.tags.through.objects.filter(
            tag_id=OuterRef("pk"), topic__status__in=Topic.VISIBLE_STATUSES
        )
        .order_by()
        .values("tag_id")
        .annotate(n=Count("topic_id"))
        .values("n")
    )
    return Coalesce(Subquery(visible), 0)


def tags_of_topics(topic_ids: Iterable[int]) -> set[int]:
    return set(
        Topic.tags.through.objects.filter(topic_id__in=list(topic_ids)).values_list(
            "tag_id", flat=True
        )
    )


# Reads


class _JoinedStrings(Aggregate):
    """``GROUP_CONCAT`` on SQLite, ``STRING_AGG`` on PostgreSQL: strings joined by a
    separator, in no particular order."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="STRING_AGG", **extra_context)


# Characters a tag's name cannot hold (``single_line`` refuses control characters).
_FIELD, _RECORD = "\x1f", "\x1e"


def with_tag_list(topics: QuerySet) -> QuerySet:
    """``topics`` annotated with ``tag_list``, their tags' names and slugs in one string, so
    a topic page shows "Tagged: …" without a query of its own (:func:`tag_links`)."""
    joined = (
        Topic.tags.through.objects.filter(topic_id=OuterRef("pk"))
        .order_by()
        .values("topic_id")
        .annotate(
            joined=_JoinedStrings(
                Concat("tag__name", Value(_FIELD), "tag__slug", output_field=CharField()),
                Value(_RECORD),
            )
        )
        .values("joined")
    )
    return topics.annotate(tag_list=Subquery(joined, output_field=CharField()))


def tag_links(tag_list: str | None) -> list[dict[str, str]]:
    """The ``tag_list`` of :func:`with_tag_list` as ``{"name", "url"}``s, by name."""
    if not tag_list:
        return []
    url = url_format("forum:tag", slug="_")
    tags = [record.split(_FIELD, 1) for record in tag_list.split(_RECORD)]
    return [
        {"name": name, "url": url.format(slug)}
        for name, slug in sorted(tags, key=lambda tag: tag[0].lower())
    ]


def popular_tags(limit: int = 50) -> list[Tag]:
    """The tags with the most visible topics (none with none): one query."""
    return list(Tag.objects.filter(topic_count__gt=0).order_by("-topic_count", "name")[:limit])


def tag_topics_page(tag: Tag, *, page_number: int) -> Page:
    """A page of the tag's visible topics, the latest active first."""
    topics = (
        Topic.objects.visible()
        .filter(tags=tag)
        .select_related("forum", *TOPIC_ROW_RELATED)
        .only(*TOPIC_ROW_FIELDS, "forum__name", "forum__slug")
        .order_by("-last_active_at", "-id")
    )
    page = paginate(
        topics,
        per_page=settings.FORUM_TOPICS_PER_PAGE,
        count=tag.topic_count,
        page_number=page_number,
    )
    page.object_list = topic_rows(page.object_list)
    return page
