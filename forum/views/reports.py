"""Members report a post to the moderators, once per post."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from forum import permissions, services
from forum.bylines import post_author_name
from forum.forms import ReportForm
from forum.models import Post, Topic
from forum.views.topics import post_location

CANNOT_REPORT = "You cannot report this post."


def post_report(request: HttpRequest, post_id: int) -> HttpResponse:
    """``/forums/reply/<id>/report/``: a reason, then the post lands in the admin's queue."""
    post = get_object_or_404(
        Post.objects.published()
        .filter(topic__status__in=Topic.VISIBLE_STATUSES)
        .select_related("topic__forum", "author"),
        pk=post_id,
    )
    if not request.user.is_authenticated:
        return redirect_to_login(post.topic.get_absolute_url())
    if not permissions.may_report(request.user, post):
        return render(request, "403.html", {"reason": CANNOT_REPORT}, status=403)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                post=post, reporter=request.user, reason=form.cleaned_data["reason"]
            )
        except services.AlreadyReported as already:
            messages.info(request, str(already))
        else:
            messages.success(request, "Thank you: the moderators will look at this post.")
        return redirect(post_location(post))
    return render(
        request,
        "forum/post_report.html",
        {
            "post": post,
            "author_name": post_author_name(post),
            "topic": post.topic,
            "forum": post.topic.forum,
            "form": form,
        },
    )
