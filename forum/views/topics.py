"""The thread page, in the bbPress format, and the post permalink redirect."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from forum import events, permissions
from forum.bylines import post_byline
from forum.forms import ReplyForm
from forum.models import Post, Topic, TopicFavorite, TopicSubscription
from forum.page_cache import SITE, cached_page, topic_scope
from forum.selectors import (
    post_page_number,
    topic_description,
    topic_posts_page,
    with_opening_html,
)
from forum.tagging import tag_links, with_tag_list
from forum.timesince import bbp_time_since


def topic_detail(request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
    if request.resolver_match.url_name == "topic_page" and page == 1:
        return redirect("forum:topic", slug=slug, permanent=True)

    def render_page() -> HttpResponse:
        topic = get_object_or_404(
            with_tag_list(
                with_opening_html(
                    Topic.objects.visible().select_related("forum__parent", "last_post__author")
                )
            ),
            slug=slug,
        )
        viewer = request.user if request.user.is_authenticated else None
        page_obj = topic_posts_page(topic, page_number=page, page_path=request.path, viewer=viewer)
        context = {
            "topic": topic,
            "forum": topic.forum,
            "page_obj": page_obj,
            "last_updated": bbp_time_since(topic.last_active_at),
            "last_post_by": post_byline(topic.last_post) if topic.last_post else None,
            "topic_url": topic.get_absolute_url(),
            "description": topic_description(topic),
            "tags": tag_links(topic.tag_list),
        }
        if viewer is None:
            return render(request, "forum/topic_detail.html", context)
        context |= _member_context(viewer, topic)
        response = render(request, "forum/topic_detail.html", context)
        if page_obj.read_through is not None:
            events.tell(
                events.topic_viewed,
                member=viewer,
                topic=topic,
                read_through=page_obj.read_through,
            )
        return response

    return cached_page(request, scopes=[topic_scope(slug), SITE], render=render_page)


def _member_context(member, topic: Topic) -> dict:
    """What a logged-in member sees besides the posts: Subscribe, Favorite, the reply form,
    and their own posts awaiting moderation."""
    subscribed, favorite, holds_posts = _member_marks(member, topic)
    moderating = permissions.is_moderator(member)
    refusal = permissions.reply_refusal(member, topic)
    return {
        "pending_posts": (
            list(
                Post.objects.filter(topic=topic, author=member, status=Post.Status.PENDING)
                .only("pk", "created_at", "body_html")
                .order_by("created_at", "id")
            )
            if holds_posts
            else []
        ),
        "show_hidden": moderating,
        # The author is loaded for moderators only: readers' lookups stay as lean as they were.
        "may_hide_topic": moderating and permissions.may_moderate(member, topic.author),
        "is_subscribed": subscribed,
        "is_favorite": favorite,
        "reply_refusal": refusal,
        "reply_form": (
            None
            if refusal
            else ReplyForm(initial={"notify": subscribed or member.subscribe_on_reply})
        ),
    }


# Written out rather than built with the ORM: every member's thread page asks it, and
# compiling three Exists() subqueries cost 1.3 ms a page, ten times the query itself.
_MEMBER_MARKS_SQL = (
    "SELECT"  # noqa: S608 (table names from the models, values as parameters)
    f" EXISTS(SELECT 1 FROM {TopicSubscription._meta.db_table}"
    " WHERE topic_id = %s AND member_id = %s),"
    f" EXISTS(SELECT 1 FROM {TopicFavorite._meta.db_table} WHERE topic_id = %s AND member_id = %s),"
    f" EXISTS(SELECT 1 FROM {Post._meta.db_table}"
    " WHERE topic_id = %s AND author_id = %s AND status = %s)"
)


def _member_marks(member, topic: Topic) -> tuple[bool, bool, bool]:
    """Whether ``member`` is subscribed to ``topic``, has it among their favorites, and has
    posts in it awaiting moderation: one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            _MEMBER_MARKS_SQL,
            [topic.pk, member.pk, topic.pk, member.pk, topic.pk, member.pk, Post.Status.PENDING],
        )
        subscribed, favorite, holds_posts = cursor.fetchone()
    return bool(subscribed), bool(favorite), bool(holds_posts)


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
