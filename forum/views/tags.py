"""Tag pages at bbPress's addresses: ``/forums/topic-tag/<slug>/`` lists a tag's topics, and
``/forums/topic-tag/`` the tags with the most topics."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from forum.models import Tag
from forum.page_cache import LISTS, SITE, cached_page
from forum.tagging import popular_tags, tag_topics_page


def tag_index(request: HttpRequest) -> HttpResponse:
    return cached_page(
        request,
        scopes=[LISTS, SITE],
        render=lambda: render(request, "forum/tag_index.html", {"tags": popular_tags()}),
    )


def tag_detail(request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
    if request.resolver_match.url_name == "tag_page" and page == 1:
        return redirect("forum:tag", slug=slug, permanent=True)

    def render_page() -> HttpResponse:
        tag = get_object_or_404(Tag, slug=slug)
        if tag.topic_count == 0:  # every topic it had is hidden, or gone
            raise Http404("No topics have this tag.")
        context = {
            "tag": tag,
            "heading": f"Topic Tag: {tag.name}",
            "page_obj": tag_topics_page(tag, page_number=page),
            "list_url": tag.get_absolute_url(),
        }
        return render(request, "forum/tag_detail.html", context)

    return cached_page(request, scopes=[LISTS, SITE], render=render_page)
