"""The topic lists across forums: ``/topics/`` (bbPress's topic archive) and the views under
``/forums/view/<view>/``. Anonymous readers get them from the page cache, expired with the
other lists by every post."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from forum.page_cache import LISTS, SITE, cached_page

from .selectors import VIEWS, latest_topics_page, view_topics_page


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
