"""The ``/guides/`` index and each guide's long-form page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from forum.markup import plain_text, summary
from forum.models import Topic

from .models import Guide


def guide_list(request: HttpRequest) -> HttpResponse:
    guides = Guide.objects.filter(topic__status__in=Topic.VISIBLE_STATUSES).select_related(
        "topic__author"
    )
    return render(request, "guides/guide_list.html", {"guides": guides})


def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    guide = get_object_or_404(
        Guide.objects.filter(topic__status__in=Topic.VISIBLE_STATUSES).select_related(
            "topic__author", "topic__first_post", "topic__forum"
        ),
        topic__slug=slug,
    )
    opening = guide.topic.first_post
    description = summary(guide.summary or plain_text(opening.body_html if opening else ""))
    return render(
        request,
        "guides/guide_detail.html",
        {"guide": guide, "topic": guide.topic, "description": description},
    )
