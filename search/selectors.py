"""Search results as the page shows them: one page of posts, best first, each labelled with
its topic and carrying an excerpt with the matched words marked. A search matching more
posts than ``backends.WINDOW`` ranks the most recent of them and says so (``capped``).

Three queries whatever the number of results: the page of matches with their total
(``search.backends``), the page's posts with their topics, forums and authors, and the
excerpts.
"""

import re
from html import escape
from typing import TypedDict

from django.conf import settings
from django.core.paginator import Page
from django.http import Http404
from django.utils.safestring import SafeString, mark_safe

from forum.bylines import byline
from forum.markup import summary
from forum.models import Post
from forum.rows import url_format
from forum.selectors import KnownCountPaginator
from forum.timesince import bbp_post_date, machine_date

from . import backends
from .backends import MARK_END, MARK_START, Filters, backend
from .query import SearchQuery

_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}")


# A post found by its topic's title alone starts its excerpt with its opening words.
EXCERPT_CHARACTERS = 200


class SearchResult(TypedDict):
    post_id: str
    permalink: str
    kind: str  # "Topic" (the opening post) or "Reply"
    title_html: SafeString  # the topic's title, matched words marked
    topic_url: str
    forum_name: str
    forum_url: str
    author_name: str  # the member's, or a guest's (``forum.bylines``)
    author_url: str  # empty for a guest without a website
    author_html: SafeString  # the name, linked
    created_iso: str
    created_text: str
    excerpt_html: SafeString
    hidden_status: str  # for moderators: "pending", "spam" or "trash"; empty when published


def marked_html(text: str) -> SafeString:
    """``text`` escaped, with the backends' marks around matched words made ``<mark>``s
    (a mark character typed into a post itself is dropped, so the tags always pair up)."""
    escaped = escape(text, quote=False)
    html = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(html.replace(MARK_START, "").replace(MARK_END, ""))  # escaped above


def search_page(query: SearchQuery, *, filters: Filters, page_number: int) -> Page:
    """The ``page_number``-th page of results for ``query``, as :class:`SearchResult` rows;
    404 for a page past the last (page 1 always exists, perhaps empty)."""
    per_page = settings.FORUM_POSTS_PER_PAGE
    # At most a window of bodies and one of titles are ranked: no page lies past them (and
    # an offset past 2**63 is an error in either database).
    if page_number < 1 or (page_number - 1) * per_page >= 2 * (backends.WINDOW + 1):
        raise Http404("No such page.")
    search = backend()
    total, hits = search.find(query, filters, limit=per_page, offset=(page_number - 1) * per_page)
    if not hits and page_number > 1:
        raise Http404("No such page.")
    ids = [hit.post_id for hit in hits]
    posts = (
        Post.objects.select_related("topic__forum", "author")
        .only(
            "created_at",
            "status",
            "body",
            "topic__title",
            "topic__slug",
            "topic__first_post",
            "topic__forum__name",
            "topic__forum__slug",
            "author__username",
            "author__display_name",
            "guest_name",
            "guest_website",
        )
        .in_bulk(ids)
    )
    excerpts = search.excerpts(query, ids)
    urls = {
        "post": url_format("forum:post", post_id=0),
        "topic": url_format("forum:topic", slug="_"),
        "forum": url_format("forum:forum", slug="_"),
        "member": url_format("forum:member", username="_"),
    }
    rows: list[SearchResult] = []
    for hit in hits:
        post = posts.get(hit.post_id)
        if post is None:  # deleted between the two queries
            continue
        topic, author = post.topic, post.author
        by = byline(
            username=author.username,
            display_name=author.display_name,
            guest_name=post.guest_name,
            guest_website=post.guest_website,
            member_url=urls["member"],
        )
        rows.append(
            {
                "post_id": str(post.pk),
                "permalink": urls["post"].format(post.pk),
                "kind": "Topic" if post.pk == topic.first_post_id else "Reply",
                "title_html": marked_html(excerpts.titles.get(topic.pk, topic.title)),
                "topic_url": urls["topic"].format(topic.slug),
                "forum_name": topic.forum.name,
                "forum_url": urls["forum"].format(topic.forum.slug),
                "author_name": by.name,
                "author_url": by.url,
                "author_html": by.html,
                "created_iso": machine_date(post.created_at),
                "created_text": bbp_post_date(post.created_at),
                "excerpt_html": marked_html(
                    excerpts.bodies.get(post.pk) or summary(post.body, limit=EXCERPT_CHARACTERS)
                ),
                "hidden_status": "" if post.status == Post.Status.PUBLISHED else post.status,
            }
        )
    paginator = KnownCountPaginator([], per_page, count=total)
    page = Page(rows, page_number, paginator)
    # More matched than were ranked: the page says so, and how to narrow the search.
    page.capped = total > backends.WINDOW
    return page
