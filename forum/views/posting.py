"""Starting topics, replying and editing: forms with a no-JavaScript preview, rules on the server.

Every view here answers an anonymous visitor with the login page (coming back to the topic or
forum afterwards) and changes nothing; a refused or invalid submission re-renders its form with
the reason and writes nothing.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.adapter import client_ip
from forum import permissions, services
from forum.bylines import post_author_name
from forum.forms import EditForm, ReplyForm, TopicForm
from forum.markup import quote_markdown, render_body
from forum.models import Forum, Post, Topic, TopicSubscription
from forum.views.topics import post_location

AWAITING_MODERATION = "Your {kind} is awaiting moderation: a moderator will publish it soon."


def _post_form_page(
    request: HttpRequest,
    form: Form,
    *,
    template: str,
    context: dict,
    submit: Callable[[dict], str],
    refusal: str | None = None,
    body_format: str = Post.BodyFormat.MARKDOWN,
) -> HttpResponse:
    """The flow every post form shares.

    Refused: 403 with the reason. Preview: the rendered text under the form, nothing written.
    Submit: ``submit(cleaned_data)`` writes and gives the URL to land on, or raises
    ``PostingRefused``, whose message the form then shows.
    """
    preview_html = ""
    if request.method == "POST" and refusal is None and form.is_valid():
        if request.POST.get("action") == "preview":
            preview_html = render_body(form.cleaned_data["body"], body_format)
        else:
            try:
                return redirect(submit(form.cleaned_data))
            except services.PostingRefused as refused:
                form.add_error(None, refused.message)
    return render(
        request,
        template,
        {
            **context,
            "form": form,
            "refusal": refusal,
            "preview_html": preview_html,
            "body_format": body_format,
        },
        status=403 if refusal and request.method == "POST" else 200,
    )


def topic_new(request: HttpRequest, slug: str) -> HttpResponse:
    """``/forums/forum/<slug>/new/``: the new-topic form (also shown on the forum page)."""
    forum = get_object_or_404(Forum, slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(forum.get_absolute_url())

    def submit(data: dict) -> str:
        topic = services.topic_submit(
            forum=forum,
            author=request.user,
            title=data["title"],
            body=data["body"],
            idempotency_token=data["token"],
            author_ip=client_ip(request),
            notify=data["notify"],
            tags=data["tags"],
        )
        if topic.status == Topic.Status.PENDING:
            messages.info(request, AWAITING_MODERATION.format(kind="topic"))
            return forum.get_absolute_url()
        return f"{topic.get_absolute_url()}#post-{topic.first_post_id}"

    return _post_form_page(
        request,
        TopicForm(request.POST or None, initial={"notify": request.user.subscribe_on_reply}),
        template="forum/topic_new.html",
        context={"forum": forum},
        submit=submit,
        refusal=permissions.new_topic_refusal(request.user, forum),
    )


def topic_reply(request: HttpRequest, slug: str) -> HttpResponse:
    """``/forums/topic/<slug>/reply/``: the reply form (also at the foot of the topic page).

    ``?quote=<post id>`` starts the reply with that post quoted.
    """
    topic = get_object_or_404(Topic.objects.visible().select_related("forum"), slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(topic.get_absolute_url())
    subscribed = TopicSubscription.objects.filter(topic=topic, member=request.user).exists()

    def submit(data: dict) -> str:
        post = services.reply_submit(
            topic=topic,
            author=request.user,
            body=data["body"],
            idempotency_token=data["token"],
            author_ip=client_ip(request),
            notify=data["notify"],
        )
        if post.status == Post.Status.PENDING:
            messages.info(request, AWAITING_MODERATION.format(kind="reply"))
            return f"{topic.get_absolute_url()}#post-{post.pk}"
        return post_location(post)

    return _post_form_page(
        request,
        ReplyForm(request.POST or None, initial=_reply_initial(request, topic, subscribed)),
        template="forum/topic_reply.html",
        context={"topic": topic, "forum": topic.forum},
        submit=submit,
        refusal=permissions.reply_refusal(request.user, topic),
    )


def _reply_initial(request: HttpRequest, topic: Topic, subscribed: bool) -> dict:
    initial: dict = {"notify": subscribed or request.user.subscribe_on_reply}
    quote_id = request.GET.get("quote", "")
    if quote_id.isascii() and quote_id.isdigit():
        quoted = (
            Post.objects.published()
            .filter(topic=topic, pk=int(quote_id))
            .select_related("author")
            .first()
        )
        if quoted is not None:
            initial["body"] = quote_markdown(
                quoted.body,
                author_name=post_author_name(quoted),
                post_url=quoted.get_absolute_url(),
            )
    return initial


def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    """``/forums/reply/<id>/edit/``: authors within the edit window, and moderators."""
    post = get_object_or_404(
        Post.objects.select_related("topic__forum", "author").filter(
            topic__status__in=Topic.VISIBLE_STATUSES
        ),
        pk=post_id,
    )
    if not request.user.is_authenticated:
        return redirect_to_login(post.topic.get_absolute_url())
    if not permissions.can_edit(request.user, post):
        # Someone else's post is none of the member's business: it does not exist for them.
        if post.author_id != request.user.pk:
            raise Http404("No such post.")
        return render(
            request, "forum/post_edit_closed.html", {"post": post, "topic": post.topic}, status=403
        )
    is_opening = post.pk == post.topic.first_post_id

    def submit(data: dict) -> str:
        services.post_edit(
            post=post,
            editor=request.user,
            body=data["body"],
            reason=data["reason"],
            title=data.get("title"),
            tags=data.get("tags"),
        )
        return post_location(post)

    initial = {"body": post.body, "title": post.topic.title}
    if is_opening:
        initial["tags"] = ", ".join(post.topic.tags.values_list("name", flat=True))
    return _post_form_page(
        request,
        EditForm(request.POST or None, initial=initial, with_title=is_opening),
        template="forum/post_edit.html",
        context={"post": post, "topic": post.topic, "forum": post.topic.forum,
                 "is_opening": is_opening},
        submit=submit,
        body_format=post.body_format,
    )  # fmt: skip


@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """The live preview's HTML: exactly what the post would show, sanitised the same way."""
    if not permissions.may_write(request.user):
        return HttpResponse(status=403)
    body = request.POST.get("body", "")[: settings.FORUM_MAX_POST_LENGTH]
    body_format = request.POST.get("body_format", "")
    if body_format not in Post.BodyFormat.values:
        body_format = Post.BodyFormat.MARKDOWN
    return HttpResponse(render_body(body, body_format))
