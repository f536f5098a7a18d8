"""Unread tracking's pages: jump to a topic's first unread post, and "mark all as read"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from forum.models import Forum, Topic
from forum.views.topics import post_location

from . import services
from .selectors import first_unread_post


def topic_unread(request: HttpRequest, slug: str) -> HttpResponse:
    """``/forums/topic/<slug>/unread/``: the first post the member has not read; the last
    post when they have read them all, the topic's start for a reader not logged in."""
    topic = get_object_or_404(Topic.objects.visible().select_related("last_post__topic"), slug=slug)
    if not request.user.is_authenticated:
        return redirect(topic)
    post = first_unread_post(request.user, topic) or topic.last_post
    if post is None:
        return redirect(topic)
    return redirect(post_location(post))


@login_required
@require_POST
def forum_mark_read(request: HttpRequest, slug: str) -> HttpResponse:
    """Mark every topic in a forum (and the forums below it) read."""
    forum = get_object_or_404(Forum, slug=slug)
    services.forum_mark_read(member=request.user, forum_ids=services.forum_and_below(forum))
    messages.success(request, f"All topics in {forum.name} are marked as read.")
    return redirect(forum)


@login_required
@require_POST
def site_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark everything on the site read."""
    services.site_mark_read(member=request.user)
    messages.success(request, "All topics are marked as read.")
    return redirect("forum:index")
