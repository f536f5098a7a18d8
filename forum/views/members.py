"""Public member pages under ``/forums/users/<username>/``, as bbPress has them.

Anonymous readers get them from the page cache (``forum.page_cache``); they change with
every post (the lists, the counts) and with the member's profile (the site's scope).
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.models import User, may_act_on, may_edit_profile, shows_profile_text
from forum.models import Forum
from forum.page_cache import LISTS, SITE, cache_anonymous_page
from forum.rows import topic_rows
from forum.selectors import (
    member_engaged_topics,
    member_favorite_topics,
    member_replies,
    member_subscribed_topics,
    member_topics,
    paginate,
)

RECENT_ITEMS = 10


def _member(username: str) -> User:
    return get_object_or_404(User, username=username, is_active=True)


@cache_anonymous_page(LISTS, SITE)
def member_profile(request: HttpRequest, username: str) -> HttpResponse:
    member = _member(username)
    topics = member_topics(member)
    replies = member_replies(member)
    recent_topics = list(topics[:RECENT_ITEMS])
    recent_replies = list(replies[:RECENT_ITEMS])
    # A topic's start is its first post, so the newest of the two lists is the last post.
    latest = [item.created_at for item in (recent_topics[:1] + recent_replies[:1])]
    return render(
        request,
        "forum/member_profile.html",
        _context(
            request,
            member,
            "profile",
            topic_total=member.topic_count,
            reply_total=member.reply_count,
            recent_topics=recent_topics,
            recent_replies=recent_replies,
            last_active_at=max(latest, default=None),
        ),
    )


@cache_anonymous_page(LISTS, SITE)
def member_topics_started(request: HttpRequest, username: str, page: int = 1) -> HttpResponse:
    member = _member(username)
    return _topic_list(
        request, member, member_topics(member), page, "topics", count=member.topic_count
    )


@cache_anonymous_page(LISTS, SITE)
def member_engagements(request: HttpRequest, username: str, page: int = 1) -> HttpResponse:
    """The visible topics the member has posted in, most recently active first."""
    member = _member(username)
    return _topic_list(request, member, member_engaged_topics(member), page, "engagements")


@cache_anonymous_page(LISTS, SITE)
def member_favorites(request: HttpRequest, username: str, page: int = 1) -> HttpResponse:
    """Public, as in bbPress."""
    member = _member(username)
    return _topic_list(request, member, member_favorite_topics(member), page, "favorites")


def member_subscriptions(request: HttpRequest, username: str, page: int = 1) -> HttpResponse:
    """For the member themself and those who may act on them only."""
    member = _member(username)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _may_see_subscriptions(request.user, member):
        raise Http404("No such page.")
    forums = Forum.objects.filter(subscriptions__member=member).order_by("name")
    return _topic_list(
        request,
        member,
        member_subscribed_topics(member),
        page,
        "subscriptions",
        extra={"subscribed_forums": list(forums.only("name", "slug"))},
    )


@cache_anonymous_page(LISTS, SITE)
def member_replies_created(request: HttpRequest, username: str, page: int = 1) -> HttpResponse:
    member = _member(username)
    if _is_first_page_url(request, page):
        return redirect(_list_url(request), permanent=True)
    page_obj = paginate(
        member_replies(member),
        per_page=settings.FORUM_POSTS_PER_PAGE,
        count=member.reply_count,
        page_number=page,
    )
    return render(
        request,
        "forum/member_replies.html",
        _context(request, member, "replies", page_obj=page_obj, list_url=_list_url(request)),
    )


TOPIC_LIST_HEADINGS = {
    "topics": "Forum Topics Started",
    "engagements": "Topics Engaged In",
    "favorites": "Favorite Forum Topics",
    "subscriptions": "Subscribed Forum Topics",
}


def _topic_list(
    request: HttpRequest,
    member: User,
    topics: QuerySet,
    page: int,
    tab: str,
    *,
    count: int | None = None,
    extra: dict | None = None,
) -> HttpResponse:
    """A page of one of the member's topic lists; ``count`` is the list's counter where it
    has one (Topics Started), or the list is counted."""
    if _is_first_page_url(request, page):
        return redirect(_list_url(request), permanent=True)
    page_obj = paginate(
        topics,
        per_page=settings.FORUM_TOPICS_PER_PAGE,
        count=topics.count() if count is None else count,
        page_number=page,
    )
    page_obj.object_list = topic_rows(page_obj.object_list)
    return render(
        request,
        "forum/member_topic_list.html",
        _context(
            request,
            member,
            tab,
            heading=TOPIC_LIST_HEADINGS[tab],
            page_obj=page_obj,
            list_url=_list_url(request),
            **(extra or {}),
        ),
    )


def _may_see_subscriptions(viewer: User, member: User) -> bool:
    return viewer.pk == member.pk or may_act_on(viewer, member)


def _context(request: HttpRequest, member: User, tab: str, **extra) -> dict:
    """What every member page shows: the member, the current tab, the Subscriptions tab for
    the member themself and those who may act on them, and the Edit profile link for those
    who may edit it."""
    return {
        "member": member,
        "tab": tab,
        "may_see_subscriptions": _may_see_subscriptions(request.user, member),
        "may_edit_profile": may_edit_profile(request.user, member),
        "shows_profile_text": shows_profile_text(request.user, member),
        **extra,
    }


def _is_first_page_url(request: HttpRequest, page: int) -> bool:
    return page == 1 and "page" in request.resolver_match.kwargs


def _list_url(request: HttpRequest) -> str:
    return request.path.rsplit("page/", 1)[0]
