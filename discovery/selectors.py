"""The topic lists across every forum: the latest topics (bbPress's topic archive) and the
views, "popular" (most replies) and "no replies".

Each page is a fixed number of queries whatever its depth: the total from the forums'
counters (or, for "no replies", a count over that list's own partial index), and the page's
rows by the deferred join of ``forum.selectors.paginate``, over an index in the list's order.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Q, QuerySet, Sum

from forum.models import Forum, Topic
from forum.rows import TOPIC_ROW_FIELDS, TOPIC_ROW_RELATED, topic_rows
from forum.selectors import paginate


@dataclass(frozen=True)
class TopicView:
    """A list of topics bbPress calls a view: its address, heading and order."""

    slug: str
    title: str
    order: tuple[str, ...]
    condition: Q = field(default_factory=Q)


VIEWS = {
    view.slug: view
    for view in (
        TopicView("popular", "Most popular topics", ("-reply_count", "-last_active_at", "-id")),
        TopicView(
            "no-replies",
            "Topics with no replies",
            ("-last_active_at", "-id"),
            Q(reply_count=0),
        ),
    )
}


def _listed_topics() -> QuerySet:
    return (
        Topic.objects.visible()
        .select_related("forum", *TOPIC_ROW_RELATED)
        .only(*TOPIC_ROW_FIELDS, "forum__name", "forum__slug")
    )


def visible_topic_count() -> int:
    """Every visible topic, from the forums' counters."""
    return Forum.objects.aggregate(total=Sum("topic_count"))["total"] or 0


def latest_topics_page(*, page_number: int) -> Page:
    """Every forum's topics, the latest active first, as bbPress's topic archive lists them:
    its first page starts with the super sticky topics, which the rest of the list leaves out
    (other stickies are sticky only in their own forum)."""
    topics = _listed_topics()
    super_sticky = topics.filter(pin=Topic.Pin.SUPER_STICKY).order_by("-last_active_at", "-id")
    stuck = list(super_sticky)
    page = paginate(
        topics.exclude(pin=Topic.Pin.SUPER_STICKY).order_by("-last_active_at", "-id"),
        per_page=settings.FORUM_TOPICS_PER_PAGE,
        count=max(visible_topic_count() - len(stuck), 0),
        page_number=page_number,
    )
    listed = list(page.object_list)
    page.object_list = topic_rows([*stuck, *listed] if page_number == 1 else listed)
    return page


def view_topics_page(view: TopicView, *, page_number: int) -> Page:
    topics = _listed_topics().filter(view.condition).order_by(*view.order)
    count = visible_topic_count() if not view.condition else topics.count()
    page = paginate(
        topics,
        per_page=settings.FORUM_TOPICS_PER_PAGE,
        count=count,
        page_number=page_number,
    )
    page.object_list = topic_rows(page.object_list)
    return page
