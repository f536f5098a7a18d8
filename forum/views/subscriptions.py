"""Subscribe and Favorite on topic pages, and the emailed link that unsubscribes."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.models import User
from forum import services
from forum.models import Topic, TopicSubscription
from forum.notifications import read_unsubscribe_token
from forum.selectors import member_favorite_topics, member_subscribed_topics, paginate


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


def member_favorites(request: HttpRequest, username: str, page: int = 1) -> HttpResponse:
    """``/forums/users/<username>/favorites/``: public, as in bbPress."""
    member = get_object_or_404(User, username=username, is_active=True)
    return _member_topic_list(
        request, member, member_favorite_topics(member), page, "Favorite Forum Topics"
    )


def member_subscriptions(request: HttpRequest, username: str, page: int = 1) -> HttpResponse:
    """``/forums/users/<username>/subscriptions/``: for the member themself and staff only."""
    member = get_object_or_404(User, username=username, is_active=True)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user != member and not request.user.is_staff:
        raise Http404("No such page.")
    return _member_topic_list(
        request, member, member_subscribed_topics(member), page, "Subscribed Forum Topics"
    )


def _member_topic_list(request, member: User, topics, page: int, heading: str) -> HttpResponse:
    if page == 1 and "page" in request.resolver_match.kwargs:
        return redirect(request.path.rsplit("page/", 1)[0], permanent=True)
    page_obj = paginate(
        topics, per_page=settings.FORUM_TOPICS_PER_PAGE, count=topics.count(), page_number=page
    )
    return render(
        request,
        "forum/member_topic_list.html",
        {"member": member, "page_obj": page_obj, "heading": heading,
         "list_url": request.path.rsplit("page/", 1)[0]},
    )  # fmt: skip
