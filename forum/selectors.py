"""Reads the forum pages need, with their joins fixed so each page's query count is constant."""

from typing import TypedDict

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, F, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Left
from django.http import Http404
from django.urls import reverse
from django.utils.safestring import SafeString

from accounts.models import User

from . import permissions
from .bylines import GUEST_ROLE_LABEL, post_author_name, post_byline
from .markup import plain_text, summary
from .models import Forum, Post, PostRevision, Topic
from .rows import (
    FORUM_ROW_FIELDS,
    TOPIC_ROW_FIELDS,
    TOPIC_ROW_RELATED,
    ForumListRow,
    forum_rows,
    topic_rows,
    url_format,
)
from .timesince import bbp_post_date, bbp_time_since, machine_date


class KnownCountPaginator(Paginator):
    """A paginator told the total by a denormalised counter, so it runs no COUNT query."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.count = count


class DeferredRows:
    """An ordered queryset whose slices are fetched by a deferred join.

    ``rows[offset:offset + n]`` is one query, ``WHERE pk IN (SELECT pk … ORDER BY …
    LIMIT n OFFSET offset)``, ordered again: the inner select reads only keys, so with an
    index that matches the list's filter and order the database walks that index past the
    skipped rows and touches no row body and no joined row for them; the outer select fetches
    the page's rows with their ``select_related`` joins by primary key. A plain ``OFFSET``
    built every skipped row whole (a forum's page 4,000 joined the last post of 100,000
    topics) and sorted them when no index matched (``docs/performance.md``, "Deep pages on
    a grown forum").

    Given the list's ``count``, a slice in the list's second half is found from its end: the
    inner select walks the index backwards, so no page skips more than half the list's keys
    and the last page skips none.
    """

    def __init__(self, queryset: QuerySet, *, count: int | None = None) -> None:
        # The outer select carries over the joins, the order and only()/defer(): say so
        # loudly rather than lose an annotation without a word.
        if queryset.query.annotations:
            raise ValueError("DeferredRows takes no annotate() querysets.")
        self.queryset = queryset
        self.count = count

    @property
    def ordered(self) -> bool:
        """For the paginator's check that the list has an order."""
        return self.queryset.ordered

    def __getitem__(self, page: slice) -> QuerySet:
        start, stop = page.start or 0, page.stop
        if self.count is not None and stop is not None and start > self.count - stop:
            # Nearer the end: the same keys, counted from the end of the reversed order.
            keys = self.queryset.reverse().values("pk")[
                max(self.count - stop, 0) : self.count - start
            ]
        else:
            keys = self.queryset.values("pk")[page]
        # The outer select repeats neither the filter nor the joins it needs: given the list's
        # filter, the planners walked the list's index again to find the page's keys in it.
        query = self.queryset.query
        rows = self.queryset.model._base_manager.filter(pk__in=keys)
        if query.select_related is True:  # ``select_related()`` with no fields
            rows = rows.select_related()
        else:
            rows = rows.select_related(*_related_lookups(query.select_related))
        fields, deferring = query.deferred_loading
        if fields:
            rows = rows.defer(*fields) if deferring else rows.only(*fields)
        return rows.order_by(*(query.order_by or self.queryset.model._meta.ordering))


def _related_lookups(tree: dict | bool, prefix: str = "") -> list[str]:
    """``{"author": {}, "last_post": {"author": {}}}`` as ``["author", "last_post__author"]``,
    the lookups a queryset's ``select_related`` was given."""
    if not tree:
        return []
    lookups = []
    for name, below in tree.items():
        lookups.extend(_related_lookups(below, f"{prefix}{name}__") or [f"{prefix}{name}"])
    return lookups


def paginate(queryset: QuerySet, *, per_page: int, count: int, page_number: int) -> Page:
    """The requested page, or 404 when it does not exist; its rows reached by a deferred join
    (:class:`DeferredRows`), so a deep page costs about what the first one does."""
    paginator = KnownCountPaginator(DeferredRows(queryset, count=count), per_page, count=count)
    if page_number < 1 or page_number > paginator.num_pages:
        raise Http404("No such page.")
    return paginator.page(page_number)


def forum_tree(*, parent: Forum | None = None) -> list[ForumListRow]:
    """Every forum under ``parent`` (the top level by default), as rows with their children.

    One query, whatever the number of forums.
    """
    forums = Forum.objects.order_by("position", "name").values(*FORUM_ROW_FIELDS)
    return forum_rows(forums, parent_id=parent.pk if parent else None)


def forum_topics_page(forum: Forum, *, page_number: int) -> Page:
    """A page of the forum's topics as :class:`~forum.rows.TopicListRow`, stickies first; the
    first page starts with the super sticky topics of every other forum, as in bbPress (one
    more query, on that page only)."""
    topics = (
        Topic.objects.visible()
        .select_related(*TOPIC_ROW_RELATED)
        .only(*TOPIC_ROW_FIELDS)
        .order_by("-pin", "-last_active_at", "-id")
    )
    page = paginate(
        topics.filter(forum=forum),
        per_page=settings.FORUM_TOPICS_PER_PAGE,
        count=forum.topic_count,
        page_number=page_number,
    )
    if page_number == 1:
        elsewhere = topics.filter(pin=Topic.Pin.SUPER_STICKY).exclude(forum=forum)
        page.object_list = topic_rows([*elsewhere, *page.object_list])
    else:
        page.object_list = topic_rows(page.object_list)
    return page


# Enough of the opening post's HTML for a description's 155 characters of text, whatever the
# markup around them; no more, however long the post.
OPENING_HTML_CHARS = 2000


def with_opening_html(topics: QuerySet) -> QuerySet:
    """``topics``, each with ``opening_html``: the start of its opening post's HTML when
    readers see that post, else "". Joined in the topic's own query, so a thread page
    after the first (which does not show the opening post) describes its topic too
    without a query of its own."""
    return topics.annotate(
        opening_html=Case(
            When(
                first_post__status=Post.Status.PUBLISHED,
                then=Left("first_post__body_html", OPENING_HTML_CHARS),
            ),
            default=Value(""),
            output_field=TextField(),
        )
    )


def topic_description(topic: Topic) -> str:
    """A topic's opening words as plain text (about 155 characters), from the
    ``opening_html`` of :func:`with_opening_html`; for its pages' meta description."""
    html = topic.opening_html or ""
    return summary(plain_text(html), cut_short=len(html) >= OPENING_HTML_CHARS)


class ThreadAuthor(TypedDict):
    """Who wrote a post, as its author cell shows them: a member, or a guest by the name the
    post was written under (``forum.bylines``)."""

    username: str  # the account's (the guest account's, for a guest)
    url: str  # the member's page, a guest's website, or "" (a guest without one)
    rel: str  # the link's ``rel``: "nofollow ugc" for a guest's website
    public_name: str
    role_label: str
    avatar_html: SafeString


class ThreadPost(TypedDict):
    """A post as the thread page shows it, already in strings.

    The thread's post loop is the hottest template code in the project. The template engine
    finds a dict key in one step but a model attribute only after a failed item lookup, and
    runs every integer through number localisation; handing it strings renders the page in
    two thirds of the time (``docs/performance.md``).
    """

    id: str
    is_opening: bool
    permalink: str
    created_iso: str
    created_text: str
    author: ThreadAuthor
    reply_to: "ThreadReplyTo | None"  # the post this one answers (bbPress's threaded replies)
    body_html: str
    revisions: list["ThreadRevision"]
    edit_url: str  # empty unless the viewer may edit the post
    quote_url: str  # empty unless the viewer may reply
    report_url: str  # for members, on others' posts
    hidden_status: str  # "pending", "spam" or "trash" for the hidden posts moderators see
    author_ip: str  # for moderators only
    moderator_base: str  # for moderators: "/forums/reply/<id>/", under which their tools are
    may_moderate: bool  # whether the viewer may hide or restore it (permissions.may_moderate)


class ThreadReplyTo(TypedDict):
    """The post a reply answers, as "In reply to: #<id> by <name>" shows it."""

    id: str
    url: str
    author_name: str


class ThreadRevision(TypedDict):
    """A line of a post's revision log: "… was modified 2 minutes ago by X. Reason: …"."""

    since: str
    editor_name: str
    editor_url: str
    reason: str


def _thread_author(post: Post, member_url: str) -> ThreadAuthor:
    author, by = post.author, post_byline(post, member_url=member_url)
    return {
        "username": author.username,
        "url": by.url,
        "rel": by.rel,
        "public_name": by.name,
        "role_label": GUEST_ROLE_LABEL if by.is_guest else author.role_label,
        "avatar_html": by.avatar_html(author),
    }


# What the thread's query reads of the post each post answers (``Post.reply_to``), joined in
# the same query: whether readers see it, and its author's name. Not its text, nor its
# author's password or biography.
_ANSWERED_POST_UNREAD = [
    *(
        f"reply_to__{field.name}"
        for field in Post._meta.concrete_fields
        if field.name not in {"id", "author", "status", "guest_name"}
    ),
    *(
        f"reply_to__author__{field.name}"
        for field in User._meta.concrete_fields
        if field.name not in {"id", "username", "display_name"}
    ),
]


def _reply_to(post: Post, *, moderating: bool, post_url: str) -> ThreadReplyTo | None:
    """What ``post`` answers, fetched with its ``reply_to__author``: none when it answers
    nothing, or a post readers do not see (a link to it would find no page)."""
    answered = post.reply_to
    if answered is None or (not moderating and answered.status != Post.Status.PUBLISHED):
        return None
    return {
        "id": str(answered.pk),
        "url": post_url.format(answered.pk),
        "author_name": post_author_name(answered),
    }


def topic_posts_page(
    topic: Topic, *, page_number: int, page_path: str, viewer: User | None = None
) -> Page:
    """One page of a thread, its posts as :class:`ThreadPost` rows; ``page_path`` is its URL.

    Two queries when no post on the page was edited, three when one was (the revision logs),
    whatever the number of posts: the posts come with their authors, and with the posts they
    answer and those posts' authors (``Post.reply_to``). ``viewer`` adds the Edit and Quote
    links they may use; moderators also see hidden (pending, spam, trashed) posts, marked,
    and authors' IPs.
    ``read_through`` is when the newest published post on the page was written (``None`` on
    a page without one).
    """
    moderating = viewer is not None and permissions.is_moderator(viewer)
    posts = (
        Post.objects.filter(topic=topic)
        .select_related("author", "reply_to__author")
        .defer(*_ANSWERED_POST_UNREAD)
        .in_thread_order()
    )
    if not moderating:
        posts = posts.published()
    page = paginate(
        posts,
        per_page=settings.FORUM_POSTS_PER_PAGE,
        count=topic.post_count + (topic.hidden_reply_count if moderating else 0),
        page_number=page_number,
    )
    # Built once, not reversed per post.
    member_url = url_format("forum:member", username="_")
    posts = list(page.object_list)
    revisions = _revision_logs(
        [post.pk for post in posts if post.edited_at is not None], member_url
    )
    may_quote = viewer is not None and permissions.reply_refusal(viewer, topic) is None
    reply_url = reverse("forum:reply", kwargs={"slug": topic.slug})
    edit_url = url_format("forum:post_edit", post_id=0)
    report_url = url_format("forum:post_report", post_id=0)
    post_url = url_format("forum:post", post_id=0)
    # A member's, or a guest's by the name and website they wrote under.
    authors: dict[tuple[int, str, str], ThreadAuthor] = {}
    rows: list[ThreadPost] = []
    for post in posts:
        author_key = (post.author_id, post.guest_name, post.guest_website)
        if author_key not in authors:
            authors[author_key] = _thread_author(post, member_url)
        may_edit = viewer is not None and permissions.can_edit(viewer, post)
        rows.append(
            {
                "id": str(post.pk),
                "is_opening": post.pk == topic.first_post_id,
                "permalink": f"{page_path}#post-{post.pk}",
                "created_iso": machine_date(post.created_at),
                "created_text": bbp_post_date(post.created_at),
                "author": authors[author_key],
                "reply_to": _reply_to(post, moderating=moderating, post_url=post_url),
                "body_html": post.body_html,
                "revisions": revisions.get(post.pk, []),
                "edit_url": edit_url.format(post.pk) if may_edit else "",
                "quote_url": f"{reply_url}?quote={post.pk}#new-post" if may_quote else "",
                "report_url": report_url.format(post.pk)
                if viewer is not None and not moderating and permissions.may_report(viewer, post)
                else "",
                "hidden_status": "" if post.status == Post.Status.PUBLISHED else post.status,
                "author_ip": (post.author_ip or "") if moderating else "",
                "moderator_base": post_url.format(post.pk) if moderating else "",
                "may_moderate": moderating and permissions.may_moderate(viewer, post.author),
            }
        )
    page.object_list = rows
    # Where a member who sees this page has read to (``forum.events.topic_viewed``).
    page.read_through = max(
        (post.created_at for post in posts if post.status == Post.Status.PUBLISHED), default=None
    )
    return page


def _revision_logs(post_ids: list[int], member_url: str) -> dict[int, list[ThreadRevision]]:
    if not post_ids:
        return {}
    logs: dict[int, list[ThreadRevision]] = {}
    for revision in PostRevision.objects.filter(post_id__in=post_ids).select_related("editor"):
        logs.setdefault(revision.post_id, []).append(
            {
                "since": bbp_time_since(revision.created_at),
                "editor_name": revision.editor.public_name,
                "editor_url": member_url.format(revision.editor.username),
                "reason": revision.reason,
            }
        )
    return logs


def post_page_number(post: Post) -> int:
    """The page of its topic that a published post appears on."""
    earlier = (
        Post.objects.published()
        .filter(topic_id=post.topic_id)
        .filter(Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, id__lt=post.id))
        .count()
    )
    return earlier // settings.FORUM_POSTS_PER_PAGE + 1


def started_topics() -> QuerySet:
    """What a member's Topics Started lists and ``User.topic_count`` counts: visible topics."""
    return Topic.objects.visible()


def created_replies() -> QuerySet:
    """What a member's Replies Created lists and ``User.reply_count`` counts: published
    replies (not their topics' opening posts) in visible topics."""
    return (
        Post.objects.published()
        .filter(topic__status__in=Topic.VISIBLE_STATUSES)
        .exclude(topic__first_post=F("pk"))
    )


def member_topics(member: User):
    """As many as ``member.topic_count``."""
    return (
        started_topics()
        .filter(author=member)
        .select_related("forum", *TOPIC_ROW_RELATED)
        # The profile's list shows when each was started, too.
        .only(*TOPIC_ROW_FIELDS, "created_at", "forum__name", "forum__slug")
        .order_by("-created_at", "-id")
    )


def member_replies(member: User):
    """``created_replies()`` by ``member`` (as many as ``member.reply_count``), found by the
    flag each post keeps of it, ``Post.listed_as_reply``: one partial index in the list's
    order, with no topic to read for each post skipped on the way to a deep page."""
    return (
        Post.objects.filter(author=member, listed_as_reply=True)
        .select_related("topic")
        .order_by("-created_at", "-id")
    )


def member_favorite_topics(member: User):
    """The visible topics ``member`` marked as favorites, most recently active first."""
    return _topic_list(Topic.objects.visible().filter(favorites__member=member))


def member_subscribed_topics(member: User):
    """The visible topics whose replies ``member`` is emailed about."""
    return _topic_list(Topic.objects.visible().filter(subscriptions__member=member))


def _topic_list(topics):
    return (
        topics.select_related(*TOPIC_ROW_RELATED)
        .only(*TOPIC_ROW_FIELDS)
        .order_by("-last_active_at", "-id")
    )


def member_engaged_topics(member: User):
    """The visible topics ``member`` has a published post in, most recently active first."""
    engaged = Post.objects.published().filter(author=member).values("topic_id")
    return _topic_list(Topic.objects.visible().filter(pk__in=engaged))
