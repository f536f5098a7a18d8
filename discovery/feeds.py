"""RSS 2.0 feeds at bbPress's addresses, 25 items each, built with Django's syndication
framework; anonymous readers get them from the page cache like any list, with an ETag and a
``Last-Modified``, so feed readers polling them are answered 304 until something changes.

- ``/forums/feed/``: the latest posts everywhere, topics and replies.
- ``/forums/forum/<slug>/feed/``: the forum's latest posts; ``?type=topic`` its latest
  topics, ``?type=reply`` its latest replies.
- ``/forums/topic/<slug>/feed/``: the topic's latest replies.
- ``/topics/feed/``, ``/forums/view/<view>/feed/`` and ``/forums/topic-tag/<slug>/feed/``:
  the lists of the same addresses.

Only what every reader may see: published posts of visible topics. An item's text is the
post's ``body_html``, sanitised when it was written.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.http import http_date

from forum.bylines import Byline, byline, post_byline
from forum.models import Forum, Post, Tag, Topic
from forum.page_cache import LISTS, SITE, cached_page, topic_scope
from forum.rows import url_format
from forum.site_url import absolute_url

from .selectors import VIEWS

ITEMS = 25


def latest_posts(*, forum: Forum | None = None, replies_only: bool = False) -> list[Post]:
    """The :data:`ITEMS` latest published posts in visible topics (of ``forum``), newest
    first, with their topics, forums and authors.

    No query reads a topic's whole thread, however long: the latest posts all lie in the
    :data:`ITEMS` most recently active topics, and when there are that many, at or after the
    last of those topics' latest activity (each of them has a post that recent, so no older
    post can be among the latest), which the posts' ``(topic, status, created_at)`` index
    finds.
    """
    topics = Topic.objects.visible()
    if replies_only:
        topics = topics.filter(reply_count__gt=0)  # whose latest post is a reply
    recent = _most_recently_active(topics, forum)
    if not recent:
        return []
    posts = Post.objects.published().filter(topic_id__in=[topic_id for topic_id, _ in recent])
    if len(recent) == ITEMS:
        posts = posts.filter(created_at__gte=recent[-1][1])
    if replies_only:
        posts = posts.exclude(topic__first_post=F("pk"))
    return list(
        posts.select_related("topic__forum", "author")
        .defer("body", "author_ip", "topic__forum__description")
        .order_by("-created_at", "-id")[:ITEMS]
    )


def _most_recently_active(topics: QuerySet, forum: Forum | None) -> list[tuple[int, object]]:
    """``(id, last_active_at)`` of the :data:`ITEMS` most recently active ``topics``, each
    list read in the order of an index: every forum's, or one forum's stuck topics (a
    handful) and its others (its topic list's index, ``pin`` first)."""
    order = ("-last_active_at", "-id")
    if forum is None:
        return list(topics.order_by(*order).values_list("id", "last_active_at")[:ITEMS])
    topics = topics.filter(forum=forum)
    stuck = topics.exclude(pin=Topic.Pin.NONE).values_list("id", "last_active_at")
    others = topics.filter(pin=Topic.Pin.NONE).order_by(*order)
    recent = [*stuck, *others.values_list("id", "last_active_at")[:ITEMS]]
    recent.sort(key=lambda row: (row[1], row[0]), reverse=True)
    return recent[:ITEMS]


class _Feed(Feed):
    feed_type = Rss201rev2Feed
    language = "en"

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.request = request
        response = super().__call__(request, *args, **kwargs)
        # When this version of the feed was made, not its newest item's date: an item can
        # appear older than that (a held reply approved, a topic tagged or restored), and a
        # reader asking "modified since?" must not be told no.
        response["Last-Modified"] = http_date()
        return response

    def _url(self, path: str) -> str:
        """Absolute on ``FORUM_SITE_URL``: the feed is cached for everyone, so no address may
        come from one reader's ``Host`` header (Django's own would)."""
        return absolute_url(self.request, path)

    def feed_url(self) -> str:
        return self._url(self.request.path)

    def item_guid_is_permalink(self) -> bool:
        return True

    def _author_link(self, by: Byline) -> str | None:
        """A member's page, absolute; a guest's website as it is, or none."""
        if by.is_guest:
            return by.url or None
        return self._url(by.url)


class PostsFeed(_Feed):
    """Items are posts: an opening post titled with its topic, a reply "Reply To: …", as
    bbPress titles them."""

    def item_title(self, post: Post) -> str:
        title = post.topic.title
        return title if post.pk == post.topic.first_post_id else f"Reply To: {title}"

    def item_link(self, post: Post) -> str:
        return self._url(reverse("forum:post", kwargs={"post_id": post.pk}))

    def item_description(self, post: Post) -> str:
        return post.body_html

    def item_pubdate(self, post: Post):
        return post.created_at

    def item_updateddate(self, post: Post):
        return post.edited_at or post.created_at

    def item_author_name(self, post: Post) -> str:
        return post_byline(post).name

    def item_author_link(self, post: Post) -> str | None:
        return self._author_link(post_byline(post))

    def item_categories(self, post: Post) -> list[str]:
        return [post.topic.forum.name]


class TopicsFeed(_Feed):
    """Items are topics, each with its opening post's text."""

    def item_title(self, topic: Topic) -> str:
        return topic.title

    def item_link(self, topic: Topic) -> str:
        return self._url(reverse("forum:topic", kwargs={"slug": topic.slug}))

    def item_description(self, topic: Topic) -> str:
        # A visible topic's opening post may be hidden still (a topic restored from spam
        # keeps its post's status; a split at a held reply): its text is not for readers.
        opening = topic.first_post
        return opening.body_html if opening and opening.status == Post.Status.PUBLISHED else ""

    def item_pubdate(self, topic: Topic):
        return topic.created_at

    def item_updateddate(self, topic: Topic):
        return topic.last_active_at

    def item_author_name(self, topic: Topic) -> str:
        return _started_by(topic).name

    def item_author_link(self, topic: Topic) -> str | None:
        return self._author_link(_started_by(topic))

    def item_categories(self, topic: Topic) -> list[str]:
        return [topic.forum.name]


def _started_by(topic: Topic) -> Byline:
    """Who started ``topic`` (fetched with its ``author`` and ``first_post``): its author,
    or the guest its opening post was written by."""
    opening, author = topic.first_post, topic.author
    return byline(
        username=author.username,
        display_name=author.display_name,
        guest_name=opening.guest_name if opening else "",
        guest_website=opening.guest_website if opening else "",
        member_url=url_format("forum:member", username="_"),
    )


def _topic_items(topics: QuerySet) -> list[Topic]:
    return list(
        topics.select_related("first_post", "author", "forum").defer(
            "first_post__body", "first_post__author_ip", "forum__description"
        )[:ITEMS]
    )


class SitePostsFeed(PostsFeed):
    def title(self) -> str:
        return f"{settings.FORUM_SITE_NAME} – All Posts"

    def description(self) -> str:
        return f"The latest topics and replies in every forum of {settings.FORUM_SITE_NAME}."

    def link(self) -> str:
        return self._url(reverse("forum:index"))

    def items(self) -> list[Post]:
        return latest_posts()


class ForumPostsFeed(PostsFeed):
    def __init__(self, *, replies_only: bool) -> None:
        self.replies_only = replies_only

    def get_object(self, request: HttpRequest, slug: str) -> Forum:
        return get_object_or_404(Forum, slug=slug)

    def title(self, forum: Forum) -> str:
        kind = "Replies" if self.replies_only else "Posts"
        return f"{forum.name} – {kind} – {settings.FORUM_SITE_NAME}"

    def description(self, forum: Forum) -> str:
        return forum.description or f"The latest posts in {forum.name}."

    def link(self, forum: Forum) -> str:
        return self._url(forum.get_absolute_url())

    def items(self, forum: Forum) -> list[Post]:
        return latest_posts(forum=forum, replies_only=self.replies_only)


class ForumTopicsFeed(TopicsFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Forum:
        return get_object_or_404(Forum, slug=slug)

    def title(self, forum: Forum) -> str:
        return f"{forum.name} – Topics – {settings.FORUM_SITE_NAME}"

    def description(self, forum: Forum) -> str:
        return forum.description or f"The latest topics in {forum.name}."

    def link(self, forum: Forum) -> str:
        return self._url(forum.get_absolute_url())

    def items(self, forum: Forum) -> list[Topic]:
        # In the forum page's order (and its index's): stuck topics first.
        return _topic_items(
            Topic.objects.visible().filter(forum=forum).order_by("-pin", "-last_active_at", "-id")
        )


class TopicRepliesFeed(PostsFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Topic:
        return get_object_or_404(Topic.objects.visible().select_related("forum"), slug=slug)

    def title(self, topic: Topic) -> str:
        return f"{topic.title} – {settings.FORUM_SITE_NAME}"

    def description(self, topic: Topic) -> str:
        return f"The latest replies to “{topic.title}” in {topic.forum.name}."

    def link(self, topic: Topic) -> str:
        return self._url(topic.get_absolute_url())

    def items(self, topic: Topic) -> list[Post]:
        replies = (
            Post.objects.published()
            .filter(topic=topic)
            .exclude(pk=topic.first_post_id)
            .select_related("author")
            .defer("body", "author_ip")
            .order_by("-created_at", "-id")[:ITEMS]
        )
        for reply in replies:
            reply.topic = topic  # for the titles, without a join per reply
        return list(replies)


class LatestTopicsFeed(TopicsFeed):
    def title(self) -> str:
        return f"{settings.FORUM_SITE_NAME} – Latest topics"

    def description(self) -> str:
        return f"The latest active topics in every forum of {settings.FORUM_SITE_NAME}."

    def link(self) -> str:
        return self._url(reverse("discovery:topics"))

    def items(self) -> list[Topic]:
        return _topic_items(Topic.objects.visible().order_by("-last_active_at", "-id"))


class ViewFeed(TopicsFeed):
    def get_object(self, request: HttpRequest, view: str):
        if view not in VIEWS:
            raise Http404("No such view.")
        return VIEWS[view]

    def title(self, view) -> str:
        return f"{view.title} – {settings.FORUM_SITE_NAME}"

    def description(self, view) -> str:
        return f"{view.title} in every forum of {settings.FORUM_SITE_NAME}."

    def link(self, view) -> str:
        return self._url(reverse("discovery:view", kwargs={"view": view.slug}))

    def items(self, view) -> list[Topic]:
        return _topic_items(Topic.objects.visible().filter(view.condition).order_by(*view.order))


class TagFeed(TopicsFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        tag = get_object_or_404(Tag, slug=slug)
        if tag.topic_count == 0:
            raise Http404("No topics have this tag.")
        return tag

    def title(self, tag: Tag) -> str:
        return f"Topic Tag: {tag.name} – {settings.FORUM_SITE_NAME}"

    def description(self, tag: Tag) -> str:
        return f"The latest active topics tagged “{tag.name}”."

    def link(self, tag: Tag) -> str:
        return self._url(tag.get_absolute_url())

    def items(self, tag: Tag) -> list[Topic]:
        return _topic_items(
            Topic.objects.visible().filter(tags=tag).order_by("-last_active_at", "-id")
        )


# Views: each feed from the page cache for anonymous readers, expired as its page is.


def site_feed(request: HttpRequest) -> HttpResponse:
    return cached_page(request, scopes=[LISTS, SITE], render=lambda: SitePostsFeed()(request))


def forum_feed(request: HttpRequest, slug: str) -> HttpResponse:
    kind = request.GET.get("type", "")
    if kind == "topic":
        feed = ForumTopicsFeed()
    else:
        feed = ForumPostsFeed(replies_only=kind == "reply")
        kind = "reply" if kind == "reply" else ""
    return cached_page(
        request, scopes=[LISTS, SITE], render=lambda: feed(request, slug=slug), variant=kind
    )


def topic_feed(request: HttpRequest, slug: str) -> HttpResponse:
    return cached_page(
        request,
        scopes=[topic_scope(slug), SITE],
        render=lambda: TopicRepliesFeed()(request, slug=slug),
    )


def latest_topics_feed(request: HttpRequest) -> HttpResponse:
    return cached_page(request, scopes=[LISTS, SITE], render=lambda: LatestTopicsFeed()(request))


def view_feed(request: HttpRequest, view: str) -> HttpResponse:
    return cached_page(request, scopes=[LISTS, SITE], render=lambda: ViewFeed()(request, view=view))


def tag_feed(request: HttpRequest, slug: str) -> HttpResponse:
    return cached_page(request, scopes=[LISTS, SITE], render=lambda: TagFeed()(request, slug=slug))
