"""The sitemaps search engines read: ``/sitemap.xml``, an index of three sections, the forums
(with the forum index), the visible topics and the tags that have a page, each split into pages of
:attr:`TopicSitemap.limit` URLs (``/sitemap-topics.xml?p=2``).

Every page is a fixed number of queries, whatever the forum's size: the forums' section one
(every forum's slug, parent and last activity), a topics page two (the total, from the forums'
counters, and the page's slugs and dates, reached by ``forum.selectors``' deferred join over
the index of the latest active topics). No URL is reversed per item: each comes from a pattern
reversed once (``forum.rows.url_format``). Locations are on ``FORUM_SITE_URL`` when it is set
(``forum.site_url``), else on the request's host (``django.contrib.sites`` is not installed,
so Django takes the request's ``RequestSite``).
"""

from datetime import datetime
from functools import cached_property
from types import SimpleNamespace

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.urls import reverse

from forum.models import Forum, Tag, Topic
from forum.rows import url_format
from forum.selectors import DeferredRows, KnownCountPaginator

from .selectors import visible_topic_count


class SiteSitemap(Sitemap):
    """A sitemap whose locations are on ``FORUM_SITE_URL`` when it is set."""

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        if settings.FORUM_SITE_URL:
            protocol, _, domain = settings.FORUM_SITE_URL.partition("://")
            site = SimpleNamespace(domain=domain)
        return super().get_urls(page=page, site=site, protocol=protocol)


class ForumSitemap(SiteSitemap):
    """The forum index and every forum. A forum's page lists its subforums with their latest
    posts, so its ``lastmod`` is the latest activity in it or any forum below it."""

    limit = 10_000

    @cached_property
    def _pages(self) -> list[tuple[str, datetime | None]]:
        forums = list(Forum.objects.values("id", "parent_id", "slug", "last_active_at"))
        latest = _latest_below(forums)
        forum_url = url_format("forum:forum", slug="_")
        items = [(forum_url.format(forum["slug"]), latest[forum["id"]]) for forum in forums]
        index_lastmod = max((at for _, at in items if at is not None), default=None)
        return [(reverse("forum:index"), index_lastmod), *items]

    @cached_property
    def paginator(self) -> Paginator:
        return Paginator(self._pages, self.limit)

    def location(self, item: tuple[str, datetime | None]) -> str:
        return item[0]

    def lastmod(self, item: tuple[str, datetime | None]) -> datetime | None:
        return item[1] and item[1].replace(microsecond=0)

    def get_latest_lastmod(self) -> datetime | None:
        return self._pages[0][1]  # the index's: the latest of them all


def _latest_below(forums: list[dict]) -> dict[int, datetime | None]:
    """Each forum's latest activity, its own or a forum's below it; a parent loop made in the
    admin is cut, not followed."""
    parent_of = {forum["id"]: forum["parent_id"] for forum in forums}
    latest = {forum["id"]: forum["last_active_at"] for forum in forums}
    for forum in forums:
        at, seen, parent = forum["last_active_at"], {forum["id"]}, forum["parent_id"]
        while at is not None and parent in latest and parent not in seen:
            if latest[parent] is None or at > latest[parent]:
                latest[parent] = at
            seen.add(parent)
            parent = parent_of[parent]
    return latest


class _SlugsAndDates(DeferredRows):
    """A page of topics as ``(slug, last_active_at)`` pairs: no model instances to build."""

    def __getitem__(self, page: slice) -> QuerySet:
        return super().__getitem__(page).values_list("slug", "last_active_at")


class TopicSitemap(SiteSitemap):
    """Every visible topic, the latest active first (the order of an index whose keys carry
    the status, so a deep page's keys are read from the index alone)."""

    limit = 10_000

    @cached_property
    def paginator(self) -> Paginator:
        count = visible_topic_count()
        topics = Topic.objects.visible().order_by("-last_active_at", "-id")
        return KnownCountPaginator(_SlugsAndDates(topics, count=count), self.limit, count=count)

    @cached_property
    def _topic_url(self) -> str:
        return url_format("forum:topic", slug="_")

    def location(self, item: tuple[str, datetime]) -> str:
        return self._topic_url.format(item[0])

    def lastmod(self, item: tuple[str, datetime]) -> datetime:
        return item[1].replace(microsecond=0)

    def get_latest_lastmod(self) -> datetime | None:
        return Topic.objects.visible().aggregate(latest=Max("last_active_at"))["latest"]


class TagSitemap(SiteSitemap):
    """The tags that have a page: those with a visible topic (one query a page)."""

    limit = 10_000

    def items(self) -> QuerySet:
        return Tag.objects.filter(topic_count__gt=0).order_by("pk").values_list("slug", flat=True)

    @cached_property
    def _tag_url(self) -> str:
        return url_format("forum:tag", slug="_")

    def location(self, slug: str) -> str:
        return self._tag_url.format(slug)


SITEMAPS = {"forums": ForumSitemap, "topics": TopicSitemap, "tags": TagSitemap}
