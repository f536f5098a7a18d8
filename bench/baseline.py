"""The yardsticks: a bare Django page that renders the same 25 posts with 3 queries, and a
trivial view.

The bare page: topic, post count, posts with their authors: no pagination object, no page
cache, no base template. Issue 2 asks the real topic page to be at least as fast as this.
The trivial view answers 30 bytes and touches nothing: what any request through this app's
middleware costs, and so the floor a cached page is measured against (issue 10).
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


TRIVIAL_BODY = b"A trivial view: 30 bytes long.\n"[:30]


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(TRIVIAL_BODY, content_type="text/plain")
