"""Old links from the bbPress site this forum was imported from, answered with a 301.

bbPress's pretty permalinks are our URLs (``forum/urls.py``), so most old links work as they
are. This middleware answers the rest:

- Plain permalinks, ``/?p=<id>``, ``/?topic=<slug>``, ``/?forum=<slug>``, ``/?reply=<slug>``,
  ``/?bbp_user=<id>`` and ``/?topic-tag=<slug>`` (``&paged=<n>`` keeps the page). On the
  index (``/`` and ``/forums/``, which answer 200) they are read before the view runs; on any
  other path (``/index.php?p=…``) only when it would answer 404.
- Pretty permalinks whose slug the import could not keep (non-ASCII, too long), a nested
  forum's ``/forums/forum/<parent>/<child>/``, a reply's ``/forums/reply/<slug>/`` and a
  member's ``/forums/users/<nicename>/``: looked up only when the page would answer 404.

A normal page costs no query: only a plain permalink on the index, or a 404, is looked up.
Every ``Location`` is a ``reverse()`` of a row that was found and may be seen (a visible
topic, a published post, an active member), never text from the request. Unknown ids and
slugs fall through to the page the path would have had.
"""

import re
from collections.abc import Callable
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.db.models import Value
from django.db.models.functions import Lower, Replace
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, QueryDict
from django.urls import reverse

from forum.models import Forum, Post, Tag, Topic
from importer.models import ImportedForum, ImportedMember, ImportedReplySlug, ImportedTopic

# Where WordPress answered plain permalinks that our own views also answer, with a 200.
INDEX_PATHS = frozenset({"/", "/forums/"})
# The query parameters of bbPress's plain permalinks, the first one present wins.
PLAIN_PARAMETERS = ("p", "reply", "topic", "forum", "bbp_user", "topic-tag")

_TOPIC_PATH = re.compile(r"/forums/topic/(?P<slug>[^/]+)(?:/page/(?P<page>[0-9]{1,9}))?/?")
_FORUM_PATH = re.compile(
    r"/forums/forum/(?P<slugs>[^/]+(?:/[^/]+)*?)(?:/page/(?P<page>[0-9]{1,9}))?/?"
)
_REPLY_PATH = re.compile(r"/forums/reply/(?P<slug>[^/]+)/?")
_MEMBER_PATH = re.compile(
    r"/forums/users/(?P<nicename>[^/]+)"
    r"(?:/(?P<list>topics|replies|engagements|favorites|subscriptions)"
    r"(?:/page/(?P<page>[0-9]{1,9}))?)?/?"
)
# A WordPress user's nicename, as ``sanitize_title()`` makes it from the login.
_NICENAME = re.compile(r"[a-z0-9_-]{1,50}")
_PAGE = re.compile(r"[0-9]{1,9}")
_WP_ID = re.compile(r"[0-9]{1,19}")
_WP_ID_MAX = 2**63 - 1  # a signed 64-bit column: larger numbers would fail the query
_WP_SLUG_MAX = 200  # the Imported* tables' slug columns


class OldLinkRedirectMiddleware:
    """Answer a bbPress site's old links with a permanent redirect to the page they meant."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        may_redirect = request.method in ("GET", "HEAD")
        if may_redirect and request.path_info in INDEX_PATHS and request.META.get("QUERY_STRING"):
            target = plain_permalink_target(request.GET)
            if target is not None:
                return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if may_redirect and response.status_code == 404:
            target = pretty_permalink_target(request.path_info) or (
                plain_permalink_target(request.GET) if request.META.get("QUERY_STRING") else None
            )
            # A page that 404s at its own address (a hidden topic, a page past the last)
            # must not send the reader round in a loop.
            if target is not None and target != request.path:
                return HttpResponsePermanentRedirect(target)
        return response


def plain_permalink_target(query: QueryDict) -> str | None:
    """The current URL of what a plain permalink's query names, or None if nothing.

    A repeated parameter counts by its last value, as PHP reads it.
    """
    name = next((name for name in PLAIN_PARAMETERS if name in query), None)
    if name is None:
        return None
    value = query[name].strip()
    page = _page_number(query.get("paged", ""))
    if name == "p":
        wp_id = _wp_id(value)
        return None if wp_id is None else _wp_post_target(wp_id, page)
    if name == "reply":
        return _reply_target(value)
    if name == "topic":
        return _topic_target(value, page)
    if name == "forum":
        return _forum_target([value], page)
    if name == "bbp_user":
        wp_id = _wp_id(value)
        return None if wp_id is None else _imported_member_target(wp_id)
    return _tag_target(value)


def pretty_permalink_target(path: str) -> str | None:
    """The current URL of a bbPress pretty permalink that does not answer here, or None."""
    if match := _TOPIC_PATH.fullmatch(path):
        return _topic_target(match["slug"], _page_number(match["page"]))
    if match := _FORUM_PATH.fullmatch(path):
        return _forum_target(match["slugs"].split("/"), _page_number(match["page"]))
    if match := _REPLY_PATH.fullmatch(path):
        return _reply_target(match["slug"])
    if match := _MEMBER_PATH.fullmatch(path):
        return _nicename_target(match["nicename"], match["list"], _page_number(match["page"]))
    return None


def wp_slug_forms(slug: str) -> list[str]:
    """The forms in which WordPress may have stored ``slug``, as a URL's path or query gives
    it decoded: percent-encoded in lower case (``%d0%bf%d1%80``, how WordPress stores a
    non-ASCII slug), and as it is (a link that was encoded twice)."""
    forms = {quote(slug, safe="", errors="replace").lower(), slug.lower()}
    return sorted(form for form in forms if 0 < len(form) <= _WP_SLUG_MAX)


def _wp_id(value: str) -> int | None:
    if not _WP_ID.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= _WP_ID_MAX else None


def _page_number(value: str | None) -> int:
    return int(value) if value and _PAGE.fullmatch(value) else 1


def _wp_post_target(wp_id: int, page: int) -> str | None:
    """``?p=<id>``: any WordPress post. A topic's id is also its opening post's, and names the
    topic; a forum's id is no post's here (posts keep their WordPress id, forums do not)."""
    imported_topic = (
        ImportedTopic.objects.filter(wp_id=wp_id, topic__status__in=Topic.VISIBLE_STATUSES)
        .select_related("topic")
        .first()
    )
    if imported_topic is not None:
        return _topic_url(imported_topic.topic, page)
    imported_forum = ImportedForum.objects.filter(wp_id=wp_id).select_related("forum").first()
    if imported_forum is not None:
        return _forum_url(imported_forum.forum, page)
    return _post_target(wp_id)


def _post_target(post_id: int) -> str | None:
    """The permalink of a published post in a visible topic, which redirects to the post on
    its topic's page (``#post-<id>``)."""
    found = (
        Post.objects.published()
        .filter(pk=post_id, topic__status__in=Topic.VISIBLE_STATUSES)
        .exists()
    )
    return reverse("forum:post", kwargs={"post_id": post_id}) if found else None


def _reply_target(slug: str) -> str | None:
    """A reply by its bbPress slug: normally its id, else one the import remembered."""
    post_id = _wp_id(slug)
    if post_id is not None and (target := _post_target(post_id)) is not None:
        return target
    forms = wp_slug_forms(slug)
    found = (
        ImportedReplySlug.objects.filter(
            slug__in=forms,
            post__status=Post.Status.PUBLISHED,
            post__topic__status__in=Topic.VISIBLE_STATUSES,
        )
        .values_list("post_id", flat=True)
        .first()
    )
    return None if found is None else reverse("forum:post", kwargs={"post_id": found})


def _topic_target(slug: str, page: int) -> str | None:
    imported = (
        ImportedTopic.objects.filter(
            wp_slug__in=wp_slug_forms(slug), topic__status__in=Topic.VISIBLE_STATUSES
        )
        .select_related("topic")
        .order_by("wp_id")
        .first()
    )
    if imported is not None:
        return _topic_url(imported.topic, page)
    topic = Topic.objects.visible().filter(slug=slug).only("slug").first()
    return None if topic is None else _topic_url(topic, page)


def _forum_target(slugs: list[str], page: int) -> str | None:
    """A forum by its slug, or by the last of a nested forum's slugs (bbPress writes a
    subforum's address as ``/forums/forum/<parent>/<child>/``)."""
    slug = slugs[-1]
    imported = (
        ImportedForum.objects.filter(wp_slug__in=wp_slug_forms(slug))
        .select_related("forum")
        .order_by("wp_id")
        .first()
    )
    if imported is not None:
        return _forum_url(imported.forum, page)
    forum = Forum.objects.filter(slug=slug).only("slug").first()
    return None if forum is None else _forum_url(forum, page)


def _imported_member_target(wp_id: int) -> str | None:
    username = (
        ImportedMember.objects.filter(wp_id=wp_id, member__is_active=True)
        .values_list("member__username", flat=True)
        .first()
    )
    return None if username is None else reverse("forum:member", kwargs={"username": username})


def _nicename_target(nicename: str, member_list: str | None, page: int) -> str | None:
    """A member by their bbPress nicename: the login lower-cased, ``.`` and spaces made
    ``-``, ``@`` dropped (WordPress's ``sanitize_title()`` on a login), when exactly one
    active member's username reads so. Nicenames edited by hand or made unique with a
    ``-2`` are not found. Costs a scan of the members, on a 404 only."""
    if not _NICENAME.fullmatch(nicename):
        return None
    as_nicename = Lower(
        Replace(
            Replace(Replace("username", Value("@"), Value("")), Value("."), Value("-")),
            Value(" "),
            Value("-"),
        )
    )
    usernames = list(
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(nicename=as_nicename)
        .filter(nicename=nicename)
        .values_list("username", flat=True)[:2]
    )
    if len(usernames) != 1:
        return None
    kwargs = {"username": usernames[0]}
    if member_list is None:
        return reverse("forum:member", kwargs=kwargs)
    if page > 1:
        return reverse(f"forum:member_{member_list}_page", kwargs={**kwargs, "page": page})
    return reverse(f"forum:member_{member_list}", kwargs=kwargs)


def _tag_target(slug: str) -> str | None:
    tag = Tag.objects.filter(slug__in={slug, slug.lower()}).only("slug").first()
    return None if tag is None else tag.get_absolute_url()


def _topic_url(topic: Topic, page: int) -> str:
    if page > 1:
        return reverse("forum:topic_page", kwargs={"slug": topic.slug, "page": page})
    return topic.get_absolute_url()


def _forum_url(forum: Forum, page: int) -> str:
    if page > 1:
        return reverse("forum:forum_page", kwargs={"slug": forum.slug, "page": page})
    return forum.get_absolute_url()
