"""The forum index and single-forum pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from forum import permissions
from forum.forms import TopicForm
from forum.models import Forum, ForumSubscription
from forum.page_cache import LISTS, SITE, cached_page
from forum.selectors import forum_topics_page, forum_tree


def forum_index(request: HttpRequest) -> HttpResponse:
    return cached_page(
        request,
        scopes=[LISTS, SITE],
        render=lambda: render(request, "forum/index.html", {"forum_rows": forum_tree()}),
    )


def forum_detail(request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
    if request.resolver_match.url_name == "forum_page" and page == 1:
        return redirect("forum:forum", slug=slug, permanent=True)

    def render_page() -> HttpResponse:
        forum = get_object_or_404(Forum.objects.select_related("parent"), slug=slug)
        context = {
            "forum": forum,
            "subforum_rows": forum_tree(parent=forum),
            "page_obj": forum_topics_page(forum, page_number=page),
        }
        if request.user.is_authenticated:
            context["is_forum_subscribed"] = ForumSubscription.objects.filter(
                member=request.user, forum=forum
            ).exists()
            refusal = permissions.new_topic_refusal(request.user, forum)
            context["new_topic_refusal"] = refusal
            context["new_topic_form"] = (
                None if refusal else TopicForm(initial={"notify": request.user.subscribe_on_reply})
            )
        return render(request, "forum/forum_detail.html", context)

    return cached_page(request, scopes=[LISTS, SITE], render=render_page)
