"""Public member pages under ``/forums/users/<username>/``."""

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from forum.selectors import member_replies, member_topics

RECENT_ITEMS = 10


def member_profile(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(get_user_model(), username=username, is_active=True)
    topics = member_topics(member)
    replies = member_replies(member)
    return render(
        request,
        "forum/member_profile.html",
        {
            "member": member,
            "topic_total": topics.count(),
            "reply_total": replies.count(),
            "recent_topics": topics[:RECENT_ITEMS],
            "recent_replies": replies[:RECENT_ITEMS],
        },
    )
