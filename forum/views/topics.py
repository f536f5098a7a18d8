"""The thread page, in the bbPress format, and the post permalink redirect."""

from django.db.models import Exists
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from forum import permissions
from forum.forms import ReplyForm
from forum.models import Post, Topic, TopicFavorite, TopicSubscription
from forum.page_cache import SITE, cached_page, topic_scope
from forum.selectors import post_page_number, topic_posts_page
from forum.timesince import bbp_time_since


def topic_detail(request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
    if request.resolver_match.url_name == "topic_page" and page == 1:
        return redirect("forum:topic", slug=slug, permanent=True)

    def render_page() -> HttpResponse:
        topic = get_object_or_404(
            Topic.objects.visible().select_related("forum__parent", "last_post__author"),
            slug=slug,
        )
        viewer = request.user if request.user.is_authenticated else None
        page_obj = topic_posts_page(topic, page_number=page, page_path=request.path, viewer=viewer)
        context = {
            "topic": topic,
            "forum": topic.forum,
            "page_obj": page_obj,
            "last_updated": bbp_time_since(topic.last_active_at),
            "topic_url": topic.get_absolute_url(),
        }
        if viewer is not None:
            context |= _member_context(viewer, topic)
        return render(request, "forum/topic_detail.html", context)

    return cached_page(request, scopes=[topic_scope(slug), SITE], render=render_page)


def _member_context(member, topic: Topic) -> dict:
    """What a logged-in member sees besides the posts: Subscribe, Favorite, the reply form."""
    # Both marks in one query.
    subscribed, favorite = (
        Topic.objects.filter(pk=topic.pk)
        .annotate(
            subscribed=Exists(TopicSubscription.objects.filter(topic=topic, member=member)),
            favorite=Exists(TopicFavorite.objects.filter(topic=topic, member=member)),
        )
        .values_list("subscribed", "favorite")
        .get()
    )
    moderating = permissions.is_moderator(member)
    refusal = permissions.reply_refusal(member, topic)
    return {
        "pending_posts": list(
            Post.objects.filter(topic=topic, author=member, status=Post.Status.PENDING)
            .only("pk", "created_at", "body_html")
            .order_by("created_at", "id")
        ),
        "show_hidden": moderating,
        # The author is loaded for moderators only: readers' lookups stay as lean as they were.
        "may_hide_topic": moderating and permissions.may_moderate(member, topic.author),
        "is_subscribed": subscribed,
        "is_favorite": favorite,
        "reply_refusal": refusal,
        "reply_form": None if refusal else ReplyForm(initial={"notify": subscribed}),
    }


def post_redirect(request: HttpRequest, post_id: int) -> HttpResponse:
    """``/forums/reply/<id>/``: send the reader to the post, on the page of its topic it is on."""
    post = get_object_or_404(
        Post.objects.published()
        .filter(topic__status__in=Topic.VISIBLE_STATUSES)
        .select_related("topic"),
        pk=post_id,
    )
    return redirect(post_location(post))


def post_location(post: Post) -> str:
    """The URL of the topic page a published post is on, with its ``#post-<id>`` anchor."""
    page = post_page_number(post)
    if page == 1:
        url = post.topic.get_absolute_url()
    else:
        url = reverse("forum:topic_page", kwargs={"slug": post.topic.slug, "page": page})
    return f"{url}#post-{post.pk}"
