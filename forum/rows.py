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
from html import escape as _escape  # django.utils.html.escape, without its check for lazy text
from typing import Any, TypedDict

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User

from .bylines import Byline, byline
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
    post of the forums below it included; ``html`` is its table row after the row's opening
    ``<th>``, written out. ``forums`` are when each of it and the forums below it was last
    active (by forum id), for unread tracking; ``unread`` is set by it for members."""

    forums: dict[int, datetime | None]
    unread: bool
    name: str
    url: str
    topic_count: str
    post_count: str
    children: list["ForumListRow"]
    html: SafeString


class TopicListRow(TypedDict):
    """A topic in a forum's list or a member's topic lists. ``unread_url`` (the topic's first
    post a member has not read) is set by unread tracking, for members."""

    id: int
    forum_id: int
    last_active_at: datetime
    unread_url: str
    slug: str
    title: str
    url: str
    pin_label: str  # "Sticky", "Super sticky", or empty
    is_closed: bool
    author_name: str
    author_url: str  # empty for a guest without a website
    author_html: SafeString  # the name, linked (``forum.bylines``)
    author_avatar: SafeString
    voice_count: str
    post_count: str
    last_post_html: SafeString
    forum_name: str  # for lists across forums (fetched with the topic's ``forum``), else empty
    forum_url: str


class _Urls:
    """The URL patterns a list's rows need, reversed once for the page."""

    def __init__(self) -> None:
        self.forum = url_format("forum:forum", slug="_")
        self.topic = url_format("forum:topic", slug="_")
        self.post = url_format("forum:post", post_id=0)
        self.member = url_format("forum:member", username="_")


def _last_post_html(
    urls: _Urls, *, post_id: int | None, at: datetime | None, by: Byline
) -> SafeString:
    """The "Last Post" cell of both lists: how long ago, linked to the post, and by whom."""
    if post_id is None or at is None:
        return _NO_LAST_POST
    return mark_safe(  # every value escaped
        f'<a href="{_escape(urls.post.format(post_id))}">{_escape(bbp_time_since(at))}</a> '
        f'<span class="freshness-author">by {by.html}</span>'
    )


_NO_LAST_POST = mark_safe("No topics yet")


def _forum_row_html(
    *,
    url: str,
    name: str,
    description: str,
    children: list[ForumListRow],
    topic_count: str,
    post_count: str,
    last_post: SafeString,
) -> SafeString:
    """A forum's row in ``templates/forum/_forum_table.html``, written out here: the index
    renders one per forum, and the template engine (a node and a lookup per value) or
    Django's ``format_html`` (a check for lazy strings per value) took several times as long."""
    parts = [f'<a class="forum-title" href="{_escape(url)}">{_escape(name)}</a>']
    if description:
        parts.append(f'<p class="forum-description">{_escape(description)}</p>')
    if children:
        parts.append(f'<ul class="subforums" aria-label="Forums in {_escape(name)}">')
        parts.extend(
            f'<li><a href="{_escape(child["url"])}">{_escape(child["name"])}</a> '
            f"({child['topic_count']}, {child['post_count']})</li>"
            for child in children
        )
        parts.append("</ul>")
    parts.append(
        f'</th><td class="num" data-label="Topics">{topic_count}</td>'
        f'<td class="num" data-label="Posts">{post_count}</td>'
        f'<td class="freshness" data-label="Last Post">{last_post}</td></tr>\n'
    )
    return mark_safe("".join(parts))  # every value escaped, or a count or cell of ours


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
    "last_post__guest_name",
    "last_post__guest_website",
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
        active = {forum["id"]: forum["last_active_at"]}
        children: list[ForumListRow] = []
        for child in children_of.get(forum["id"], ()):
            if child["id"] in seen:
                continue
            row, child_topics, child_posts, child_latest = build(child, seen)
            children.append(row)
            active |= row["forums"]
            topics += child_topics
            posts += child_posts
            at, latest_at = child_latest["last_active_at"], latest["last_active_at"]
            if at is not None and (latest_at is None or at > latest_at):
                latest = child_latest
        name, url = forum["name"], urls.forum.format(forum["slug"])
        topic_count, post_count = count_text(topics), count_text(posts)
        last_post = _last_post_html(
            urls,
            post_id=latest["last_post_id"],
            at=latest["last_active_at"],
            by=byline(
                username=latest["last_post__author__username"] or "",
                display_name=latest["last_post__author__display_name"] or "",
                guest_name=latest["last_post__guest_name"] or "",
                guest_website=latest["last_post__guest_website"] or "",
                member_url=urls.member,
            ),
        )
        html = _forum_row_html(
            url=url,
            name=name,
            description=forum["description"],
            children=children,
            topic_count=topic_count,
            post_count=post_count,
            last_post=last_post,
        )
        row: ForumListRow = {
            "forums": active,
            "unread": False,
            "name": name,
            "url": url,
            "topic_count": topic_count,
            "post_count": post_count,
            "children": children,
            "html": html,
        }
        return row, topics, posts, latest

    return [build(forum, frozenset())[0] for forum in children_of.get(parent_id, ())]


# What :func:`topic_rows` reads: ``select_related(*TOPIC_ROW_RELATED)`` and
# ``only(*TOPIC_ROW_FIELDS)``, so a list of 25 topics builds no member's password or biography
# and no post's body. The opening and last posts are joined for a guest's name (a topic a guest
# started is "Started by" them, not by the guest account: ``forum.bylines``).
TOPIC_ROW_RELATED = ("author", "first_post", "last_post__author")
TOPIC_ROW_FIELDS = (
    "forum",
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
    "first_post__guest_name",
    "first_post__guest_website",
    "last_post__author__username",
    "last_post__author__display_name",
    "last_post__guest_name",
    "last_post__guest_website",
)


def topic_rows(topics: Iterable[Topic]) -> list[TopicListRow]:
    """Rows for topics fetched with their :data:`TOPIC_ROW_RELATED` (at least their
    :data:`TOPIC_ROW_FIELDS`)."""
    urls = _Urls()
    avatars: dict[tuple[int, str], SafeString] = {}
    rows: list[TopicListRow] = []
    for topic in topics:
        author: User = topic.author
        opening = topic.first_post
        started_by = byline(
            username=author.username,
            display_name=author.display_name,
            guest_name=opening.guest_name if opening else "",
            guest_website=opening.guest_website if opening else "",
            member_url=urls.member,
        )
        avatar_key = (author.pk, started_by.name if started_by.is_guest else "")
        if avatar_key not in avatars:
            avatars[avatar_key] = started_by.avatar_html(author, small=True)
        last_post = topic.last_post
        # Lists across forums fetch each topic's forum; a forum's own list does not.
        forum = topic._state.fields_cache.get("forum")
        rows.append(
            {
                "id": topic.pk,
                "forum_id": topic.forum_id,
                "last_active_at": topic.last_active_at,
                "unread_url": "",
                "slug": topic.slug,
                "title": topic.title,
                "url": urls.topic.format(topic.slug),
                "pin_label": topic.get_pin_display() if topic.pin else "",
                "is_closed": topic.status == Topic.Status.CLOSED,
                "author_name": started_by.name,
                "author_url": started_by.url,
                "author_html": started_by.html,
                "author_avatar": avatars[avatar_key],
                "voice_count": count_text(topic.voice_count),
                "post_count": count_text(topic.post_count),
                "last_post_html": _NO_LAST_POST
                if last_post is None
                else _last_post_html(
                    urls,
                    post_id=last_post.pk,
                    at=topic.last_active_at,
                    by=byline(
                        username=last_post.author.username,
                        display_name=last_post.author.display_name,
                        guest_name=last_post.guest_name,
                        guest_website=last_post.guest_website,
                        member_url=urls.member,
                    ),
                ),
                "forum_name": forum.name if forum else "",
                "forum_url": urls.forum.format(forum.slug) if forum else "",
            }
        )
    return rows
