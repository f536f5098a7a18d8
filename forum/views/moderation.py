"""Moderator shortcuts on the topic page: each a POST with CSRF, behind a confirmation page
where it hides or destroys. Everything goes through the moderation services, as the admin's
actions do, and anyone who is not a moderator gets a 404 with nothing changed."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from forum import permissions, services
from forum.forms import DestinationTopicForm, SplitForm
from forum.models import Post, Topic

TOPIC_ACTIONS = {
    "close": ("Close", lambda topic: services.topic_set_status(topic=topic, status="closed")),
    "open": ("Open", lambda topic: services.topic_set_status(topic=topic, status="open")),
    "stick": ("Stick", lambda topic: services.topic_set_pin(topic=topic, pin=Topic.Pin.STICKY)),
    "super_stick": (
        "Stick to front",
        lambda topic: services.topic_set_pin(topic=topic, pin=Topic.Pin.SUPER_STICKY),
    ),
    "unstick": ("Unstick", lambda topic: services.topic_set_pin(topic=topic, pin=Topic.Pin.NONE)),
    "trash": ("Trash", lambda topic: services.topic_set_status(topic=topic, status="trash")),
    "spam": ("Spam", lambda topic: services.topic_set_status(topic=topic, status="spam")),
}
POST_ACTIONS = {
    "trash": ("Trash", lambda post: services.post_set_status(post=post, status="trash")),
    "spam": ("Spam", lambda post: services.post_set_status(post=post, status="spam")),
    "approve": ("Approve", lambda post: services.post_set_status(post=post, status="published")),
    "unapprove": (
        "Unapprove",
        lambda post: services.post_set_status(post=post, status="pending"),
    ),
}
NEEDS_CONFIRMATION = {"trash", "spam"}
# Topic actions that hide the opening post's author's words; the rest organise the forum.
HIDES_TOPIC = {"trash", "spam"}
NOT_YOURS_TO_MODERATE = "Only a Keymaster may moderate what Moderators and Keymasters write."


def _moderator_only(request: HttpRequest) -> None:
    if not permissions.is_moderator(request.user):
        raise Http404("No such page.")


@require_http_methods(["GET", "POST"])
def topic_moderate(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """``/forums/topic/<slug>/moderate/<action>/``."""
    _moderator_only(request)
    topic = get_object_or_404(Topic.objects.select_related("author", "forum"), slug=slug)
    if action in HIDES_TOPIC and not permissions.may_moderate(request.user, topic.author):
        return _refused(request)
    # A topic that was just hidden has no page to go back to: its forum does.
    back = topic.forum if action in NEEDS_CONFIRMATION else topic
    return _moderate(request, TOPIC_ACTIONS, action, topic, f"the topic “{topic.title}”", back)


@require_http_methods(["GET", "POST"])
def post_moderate(request: HttpRequest, post_id: int, action: str) -> HttpResponse:
    """``/forums/reply/<id>/moderate/<action>/``."""
    _moderator_only(request)
    post = get_object_or_404(Post.objects.select_related("topic", "author"), pk=post_id)
    if not permissions.may_moderate(request.user, post.author):
        return _refused(request)
    what = f"post #{post.pk} in “{post.topic.title}”"
    return _moderate(request, POST_ACTIONS, action, post, what, post.topic)


def _refused(request: HttpRequest) -> HttpResponse:
    return render(request, "403.html", {"reason": NOT_YOURS_TO_MODERATE}, status=403)


def _moderate(request, actions: dict, action: str, target, what: str, done) -> HttpResponse:
    """GET asks (nothing changes); POST applies the action and goes to ``done``."""
    if action not in actions:
        raise Http404("No such action.")
    label, apply = actions[action]
    if request.method == "GET":
        topic = target if isinstance(target, Topic) else target.topic
        context = {
            "label": label,
            "what": what,
            "back": target,
            "topic": topic,
            "forum": topic.forum,
            "destructive": action in NEEDS_CONFIRMATION,
        }
        return render(request, "forum/moderate_confirm.html", context)
    apply(target)
    messages.success(request, f"{label}: done.")
    return redirect(done)


def topic_merge(request: HttpRequest, slug: str) -> HttpResponse:
    """``/forums/topic/<slug>/merge/``: merge this topic into another."""
    _moderator_only(request)
    source = get_object_or_404(Topic, slug=slug)
    form = DestinationTopicForm(request.POST or None)

    def apply(data: dict) -> str:
        return services.topic_merge(source=source, target=data["destination"]).get_absolute_url()

    heading = f"Merge “{source.title}” into another topic"
    return _restructure_page(request, form, apply, heading, topic=source)


def post_split(request: HttpRequest, post_id: int) -> HttpResponse:
    """``/forums/reply/<id>/split/``: this reply and the later posts start a new topic."""
    _moderator_only(request)
    post = get_object_or_404(Post.objects.select_related("topic"), pk=post_id)
    form = SplitForm(request.POST or None)

    def apply(data: dict) -> str:
        return services.topic_split(post=post, title=data["title"]).get_absolute_url()

    heading = f"Split “{post.topic.title}” at #{post.pk}"
    return _restructure_page(request, form, apply, heading, topic=post.topic)


def post_move(request: HttpRequest, post_id: int) -> HttpResponse:
    """``/forums/reply/<id>/move/``: move this reply to another topic."""
    _moderator_only(request)
    post = get_object_or_404(Post.objects.select_related("topic"), pk=post_id)
    form = DestinationTopicForm(request.POST or None)

    def apply(data: dict) -> str:
        services.post_move(post=post, target=data["destination"])
        return data["destination"].get_absolute_url()

    heading = f"Move reply #{post.pk} to another topic"
    return _restructure_page(request, form, apply, heading, topic=post.topic)


def _restructure_page(request, form, apply, heading: str, *, topic: Topic) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            return redirect(apply(form.cleaned_data))
        except services.CannotRestructure as refused:
            form.add_error(None, str(refused))
    context = {
        "form": form,
        "heading": heading,
        "action": heading.split()[0],  # Merge, Split, Move
        "topic": topic,
        "forum": topic.forum,
    }
    return render(request, "forum/moderate_restructure.html", context)
