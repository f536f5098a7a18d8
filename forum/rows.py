"""The rows of the forum and topic lists as the templates show them, already in strings.

A list's rows are the hottest template code after the thread's posts: the index renders a row
a forum, and a forum page 25 topics or more. Django's template engine finds a dict key in one
step but a model attribute only after a failed item lookup, reverses a URL per ``{% url %}``
or ``get_absolute_url``, and runs every number through localisation; an ``{% include %}`` per
row costs a context of its own. So the selectors hand the templates these rows instead, with
each URL made from a pattern reversed once per page (``docs/performance.md``, "Lists that
grow").
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypedDict

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User

from .models import Topic
from .timesince import bbp_time_since


def url_format(name: str, **placeholder: object) -> str:
    """The URL named ``name`` as a ``str.format`` pattern: reversed once with the one keyword
    argument given as a placeholder, which becomes ``{}``. For slugs, usernames and ids,
    whose characters a URL keeps as they are."""
    ((keyword, value),) = placeholder.items()
    url = reverse(name, kwargs={keyword: value})
    marker = f"/{value}/"
    head, found, tail = url.rpartition(marker)
    if not found:
        raise ValueError(f"{name!r} does not end its path with the {keyword!r} segment.")
    return f"{head}/{{}}/{tail}"


def count_text(number: int) -> str:
    """``1234`` as "1,234", as ``intcomma`` writes it for the site's English."""
    return f"{number:,}"


class ForumListRow(TypedDict):
    """A forum on the index (or among a forum's subforums), with the counts and the latest
    post of the forums below it included."""

    name: str
    url: str
    description: str
    topic_count: str
    post_count: str
    last_post_html: SafeString
    children: list["ForumListRow"]


class TopicListRow(TypedDict):
    """A topic in a forum's list or a member's topic lists."""

    title: str
    url: str
    pin_label: str  # "Sticky", "Super sticky", or empty
    is_closed: bool
    author_name: str
    author_url: str
    author_avatar: SafeString
    voice_count: str
    post_count: str
    last_post_html: SafeString


class _Urls:
    """The URL patterns a list's rows need, reversed once for the page."""

    def __init__(self) -> None:
        self.forum = url_format("forum:forum", slug="_")
        self.topic = url_format("forum:topic", slug="_")
        self.post = url_format("forum:post", post_id=0)
        self.member = url_format("forum:member", username="_")


def _last_post_html(
    urls: _Urls, *, post_id: int | None, at: datetime | None, username: str, display_name: str
) -> SafeString:
    """The "Last Post" cell of both lists: how long ago, linked to the post, and by whom."""
    if post_id is None or at is None:
        return _NO_LAST_POST
    return format_html(
        '<a href="{}">{}</a> <span class="freshness-author">by <a href="{}">{}</a></span>',
        urls.post.format(post_id),
        bbp_time_since(at),
        urls.member.format(username),
        display_name or username,
    )


_NO_LAST_POST = mark_safe("No topics yet")


# The columns :func:`forum_rows` reads, for a ``values()`` query over ``Forum``.
FORUM_ROW_FIELDS = (
    "id",
    "parent_id",
    "name",
    "slug",
    "description",
    "topic_count",
    "post_count",
    "last_active_at",
    "last_post_id",
    "last_post__author__username",
    "last_post__author__display_name",
)


def forum_rows(forums: Iterable[dict[str, Any]], *, parent_id: int | None) -> list[ForumListRow]:
    """Rows for the forums directly under ``parent_id`` (``None``: the top level), each with
    the forums below it; ``forums`` are every forum's :data:`FORUM_ROW_FIELDS`, in order."""
    children_of: dict[int | None, list[dict[str, Any]]] = {}
    for forum in forums:
        children_of.setdefault(forum["parent_id"], []).append(forum)
    urls = _Urls()

    def build(forum: dict[str, Any], seen: frozenset[int]) -> tuple[ForumListRow, int, int, dict]:
        # ``seen`` stops a parent loop an operator made in the admin from recursing forever.
        seen = seen | {forum["id"]}
        topics, posts, latest = forum["topic_count"], forum["post_count"], forum
        children: list[ForumListRow] = []
        for child in children_of.get(forum["id"], ()):
            if child["id"] in seen:
                continue
            row, child_topics, child_posts, child_latest = build(child, seen)
            children.append(row)
            topics += child_topics
            posts += child_posts
            at, latest_at = child_latest["last_active_at"], latest["last_active_at"]
            if at is not None and (latest_at is None or at > latest_at):
                latest = child_latest
        row: ForumListRow = {
            "name": forum["name"],
            "url": urls.forum.format(forum["slug"]),
            "description": forum["description"],
            "topic_count": count_text(topics),
            "post_count": count_text(posts),
            "last_post_html": _last_post_html(
                urls,
                post_id=latest["last_post_id"],
                at=latest["last_active_at"],
                username=latest["last_post__author__username"] or "",
                display_name=latest["last_post__author__display_name"] or "",
            ),
            "children": children,
        }
        return row, topics, posts, latest

    return [build(forum, frozenset())[0] for forum in children_of.get(parent_id, ())]


# The columns :func:`topic_rows` reads, for ``only()`` on a topic list fetched with
# ``select_related("author", "last_post__author")``: a list of 25 topics then builds no
# member's password or biography and no last post's body.
TOPIC_ROW_FIELDS = (
    "title",
    "slug",
    "pin",
    "status",
    "voice_count",
    "reply_count",
    "last_active_at",
    "author__username",
    "author__display_name",
    "author__avatar",
    "last_post__author__username",
    "last_post__author__display_name",
)


def topic_rows(topics: Iterable[Topic]) -> list[TopicListRow]:
    """Rows for topics fetched with their ``author`` and ``last_post__author`` (at least
    their :data:`TOPIC_ROW_FIELDS`)."""
    urls = _Urls()
    avatars: dict[int, SafeString] = {}
    rows: list[TopicListRow] = []
    for topic in topics:
        author: User = topic.author
        if author.pk not in avatars:
            avatars[author.pk] = author.avatar_html(small=True)
        last_post = topic.last_post
        rows.append(
            {
                "title": topic.title,
                "url": urls.topic.format(topic.slug),
                "pin_label": topic.get_pin_display() if topic.pin else "",
                "is_closed": topic.status == Topic.Status.CLOSED,
                "author_name": author.public_name,
                "author_url": urls.member.format(author.username),
                "author_avatar": avatars[author.pk],
                "voice_count": count_text(topic.voice_count),
                "post_count": count_text(topic.post_count),
                "last_post_html": _NO_LAST_POST
                if last_post is None
                else _last_post_html(
                    urls,
                    post_id=last_post.pk,
                    at=topic.last_active_at,
                    username=last_post.author.username,
                    display_name=last_post.author.display_name,
                ),
            }
        )
    return rows
