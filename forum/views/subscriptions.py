"""Subscribe and Favorite on topic pages, Subscribe on forum pages, and the emailed link that
unsubscribes."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.models import User
from forum import services
from forum.models import Forum, Topic, TopicSubscription
from forum.notifications import read_unsubscribe_token


@require_POST
def topic_subscription(request: HttpRequest, slug: str) -> HttpResponse:
    """Subscribe (``subscribe=1``) or unsubscribe (``0``) the member."""
    return _toggle(
        request,
        slug,
        field="subscribe",
        set_mark=lambda member, topic, on: services.subscription_set(
            member=member, topic=topic, subscribed=on
        ),
        messages_on_off=("You will get an email for each new reply.", "You have unsubscribed."),
    )


@require_POST
def forum_subscription(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow a forum's new topics (``subscribe=1``) or stop (``0``), from its page."""
    forum = get_object_or_404(Forum, slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(forum.get_absolute_url())
    on = request.POST.get("subscribe") == "1"
    services.forum_subscription_set(member=request.user, forum=forum, subscribed=on)
    messages.success(
        request,
        "You will be told of each new topic in this forum." if on else "You have unsubscribed.",
    )
    return redirect(forum)


@require_POST
def topic_favorite(request: HttpRequest, slug: str) -> HttpResponse:
    """Add the topic to the member's favorites (``favorite=1``) or take it off (``0``)."""
    return _toggle(
        request,
        slug,
        field="favorite",
        set_mark=lambda member, topic, on: services.favorite_set(
            member=member, topic=topic, favorite=on
        ),
        messages_on_off=("Added to your favorites.", "Removed from your favorites."),
    )


def _toggle(
    request: HttpRequest,
    slug: str,
    *,
    field: str,
    set_mark: Callable[[User, Topic, bool], None],
    messages_on_off: tuple[str, str],
) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.visible(), slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(topic.get_absolute_url())
    on = request.POST.get(field) == "1"
    set_mark(request.user, topic, on)
    messages.success(request, messages_on_off[0] if on else messages_on_off[1])
    return redirect(topic)


@csrf_exempt  # the signed token is the credential; mail clients' one-click POST has no cookie
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every notification: a page with an Unsubscribe button (GET writes nothing,
    since mail scanners fetch links), and the POST that unsubscribes, no login needed."""
    ids = read_unsubscribe_token(token)
    if ids is None:
        return render(request, "forum/unsubscribe.html", {"invalid": True}, status=400)
    member = get_object_or_404(User, pk=ids[0])
    topic = get_object_or_404(Topic, pk=ids[1])
    done = False
    if request.method == "POST":
        services.subscription_set(member=member, topic=topic, subscribed=False)
        done = True
    subscribed = TopicSubscription.objects.filter(member=member, topic=topic).exists()
    return render(
        request,
        "forum/unsubscribe.html",
        {"topic": topic, "member": member, "done": done, "subscribed": subscribed},
    )
