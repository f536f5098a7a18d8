"""The topic lists across forums: ``/topics/`` (bbPress's topic archive) and the views under
``/forums/view/<view>/``. Anonymous readers get them from the page cache, expired with the
other lists by every post. Also what search engines read first: ``/robots.txt`` and the
sitemaps (``discovery.sitemaps``)."""

from django.conf import settings
from django.contrib.sitemaps import views as sitemaps
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import conditional_page

from forum.page_cache import LISTS, SITE, cached_page
from forum.site_url import absolute_url

from .selectors import VIEWS, latest_topics_page, view_topics_page
from .sitemaps import SITEMAPS


def latest_topics(request: HttpRequest, page: int = 1) -> HttpResponse:
    if request.resolver_match.url_name == "topics_page" and page == 1:
        return redirect("discovery:topics", permanent=True)

    def render_page() -> HttpResponse:
        context = {
            "heading": "Latest topics",
            "page_obj": latest_topics_page(page_number=page),
            "list_url": reverse("discovery:topics"),
            "feed_url": reverse("discovery:topics_feed"),
            "current": "latest",
        }
        return render(request, "discovery/topic_list.html", context)

    return cached_page(request, scopes=[LISTS, SITE], render=render_page)


def topic_view(request: HttpRequest, view: str, page: int = 1) -> HttpResponse:
    if view not in VIEWS:
        raise Http404("No such view.")
    if request.resolver_match.url_name == "view_page" and page == 1:
        return redirect("discovery:view", view=view, permanent=True)

    def render_page() -> HttpResponse:
        topic_view = VIEWS[view]
        context = {
            "heading": topic_view.title,
            "page_obj": view_topics_page(topic_view, page_number=page),
            "list_url": reverse("discovery:view", kwargs={"view": view}),
            "feed_url": reverse("discovery:view_feed", kwargs={"view": view}),
            "current": view,
        }
        return render(request, "discovery/topic_list.html", context)

    return cached_page(request, scopes=[LISTS, SITE], render=render_page)


# Search engines fetch these now and then; a proxy or CDN in front may keep them this long.
# The same for everyone, they read no session and set no cookie; an ETag (and the sitemaps'
# Last-Modified) answer a crawler's conditional request with a 304.
ROBOTS_MAX_AGE = 24 * 60 * 60
SITEMAP_MAX_AGE = 60 * 60


@cache_control(public=True, max_age=ROBOTS_MAX_AGE)
@conditional_page
def robots_txt(request: HttpRequest) -> HttpResponse:
    """``/robots.txt``: every page readers see may be crawled; forms, moderation, search,
    accounts and the admin may not. Names the sitemap's absolute address."""
    sitemap_url = absolute_url(request, reverse("discovery:sitemap"))
    return HttpResponse(
        render_to_string("discovery/robots.txt", {"sitemap_url": sitemap_url}),
        content_type="text/plain; charset=utf-8",
    )


@cache_control(public=True, max_age=SITEMAP_MAX_AGE)
@conditional_page
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """``/sitemap.xml``: the address of each page of each section (``discovery.sitemaps``)."""
    response = sitemaps.index(request, SITEMAPS, sitemap_url_name="discovery:sitemap_section")
    if settings.FORUM_SITE_URL:
        # Django writes them on the request's host; the sections' own URLs are on the site's.
        origin = f"{request.scheme}://{request.get_host()}"
        for item in response.context_data["sitemaps"]:
            item.location = settings.FORUM_SITE_URL + item.location.removeprefix(origin)
    return response


@cache_control(public=True, max_age=SITEMAP_MAX_AGE)
@conditional_page
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """``/sitemap-<section>.xml`` and its pages (``?p=2``): 404 past the last."""
    return sitemaps.sitemap(
        request, SITEMAPS, section=section, template_name="discovery/sitemap.xml"
    )
