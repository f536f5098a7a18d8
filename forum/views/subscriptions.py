"""Subscribe and Favorite on topic pages, Subscribe on forum pages, and the emailed links that
unsubscribe (from a topic's replies, from a forum's new topics)."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.models import User
from forum import services
from forum.models import Forum, ForumSubscription, Topic, TopicSubscription
from forum.unsubscribe import read_forum_unsubscribe_token, read_unsubscribe_token


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
    """The link in reply emails: a page with an Unsubscribe button (GET writes nothing, since
    mail scanners fetch links), and the POST that unsubscribes, no login needed (also the
    ``List-Unsubscribe-Post`` one-click POST of mail clients)."""
    return _unsubscribe_page(
        request,
        read_unsubscribe_token(token),
        Topic,
        TopicSubscription,
        lambda member, topic: services.subscription_set(
            member=member, topic=topic, subscribed=False
        ),
        about="replies to",
    )


@csrf_exempt  # as unsubscribe(): the signed token is the credential
def forum_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in new-topic emails: stop hearing of a forum's new topics (GET asks, POST does)."""
    return _unsubscribe_page(
        request,
        read_forum_unsubscribe_token(token),
        Forum,
        ForumSubscription,
        lambda member, forum: services.forum_subscription_set(
            member=member, forum=forum, subscribed=False
        ),
        about="new topics in",
    )


def _unsubscribe_page(
    request: HttpRequest,
    ids: tuple[int, int] | None,
    model: type[Topic | Forum],
    subscription_model: type[TopicSubscription | ForumSubscription],
    unsubscribe_member: Callable[[User, Topic | Forum], None],
    *,
    about: str,
) -> HttpResponse:
    if ids is None:
        return render(request, "forum/unsubscribe.html", {"invalid": True}, status=400)
    member = get_object_or_404(User, pk=ids[0])
    target = get_object_or_404(model, pk=ids[1])
    done = False
    if request.method == "POST":
        unsubscribe_member(member, target)
        done = True
    subscribed = subscription_model.objects.filter(
        member=member, **{model._meta.model_name: target}
    ).exists()
    return render(
        request,
        "forum/unsubscribe.html",
        {
            "target": target,
            "about": about,
            "member": member,
            "done": done,
            "subscribed": subscribed,
        },
    )
