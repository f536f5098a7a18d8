"""The yardstick: a bare Django page that renders the same 25 posts with 3 queries.

Topic, post count, posts with their authors: no pagination object, no page cache, no base
template. Issue 2 asks the real topic page to be at least as fast as this.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from forum.models import Post, Topic


def baseline_topic(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    posts = Post.objects.filter(topic=topic).select_related("author").order_by("created_at", "id")
    return render(
        request,
        "bench/baseline.html",
        {
            "topic": topic,
            "total": posts.count(),
            "posts": posts[: settings.FORUM_POSTS_PER_PAGE],
        },
    )
