"""Members' Topics Started and Replies Created counters (``User.topic_count``, ``reply_count``).

They count what the member pages list (``selectors.started_topics`` and ``created_replies``),
and move in the transaction of the write, with ``F()``:

- a new topic or reply adds one (:func:`record_new_topic`, :func:`record_new_reply`);
- a change to existing topics (moderation, merge, split, move, block) is measured: with the
  topics locked, the service takes a :func:`snapshot` of what those topics count for each
  author, changes the rows, and :func:`settle` adds each author's difference. Both counters
  are sums over topics, so that is exact, and it reads the topics touched, never a member's
  whole history (a member with 50,000 posts costs what any other does).

Members' rows are taken last, after the topics and forums (a submission's own lock on its
member is an advisory one, ``services._lock_member``), and in key order, so no two writes
can wait for each other.

``manage.py recount`` repairs them (``forum.recount``).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, QuerySet, Value
from django.db.models.functions import Greatest

from accounts.models import User

from .selectors import created_replies, started_topics

# author id -> (topics counted, replies counted)
Counts = dict[int, tuple[int, int]]


@dataclass(frozen=True)
class Snapshot:
    """What some topics counted for their authors before a change."""

    topic_ids: frozenset[int]
    author_ids: frozenset[int] | None
    counts: Counts


def record_new_topic(*, author_id: int) -> None:
    """A topic started, open, with its opening post published."""
    User.objects.filter(pk=author_id).update(topic_count=F("topic_count") + 1)


def record_new_reply(*, author_id: int) -> None:
    """A reply published in a visible topic."""
    User.objects.filter(pk=author_id).update(reply_count=F("reply_count") + 1)


def snapshot(topic_ids: Iterable[int], *, author_ids: Iterable[int] | None = None) -> Snapshot:
    """What ``topic_ids`` count for each author now (only ``author_ids``, when the change can
    move nobody else's). Take it with the topics locked, before changing them."""
    topics = frozenset(topic_ids)
    authors = None if author_ids is None else frozenset(author_ids)
    return Snapshot(topics, authors, _counts(topics, authors))


def settle(before: Snapshot, *, new_topic_ids: Iterable[int] = ()) -> None:
    """After the change (and the topics' recount, which sets their opening posts): add to
    each author the difference between what the topics, and any ``new_topic_ids`` made by the
    change, count now and what they counted in ``before``; one UPDATE per distinct
    difference."""
    after = _counts(before.topic_ids | frozenset(new_topic_ids), before.author_ids)
    moves: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
    for author_id in before.counts.keys() | after.keys():
        was, now = before.counts.get(author_id, (0, 0)), after.get(author_id, (0, 0))
        move = (now[0] - was[0], now[1] - was[1])
        if move != (0, 0):
            moves[move].append(author_id)
    if sum(len(author_ids) for author_ids in moves.values()) > 1:
        # The members' rows in one order, whatever the order of the differences, so two
        # writes moving the same members cannot each hold one the other waits for.
        moved = [author_id for author_ids in moves.values() for author_id in author_ids]
        list(User.objects.select_for_update().filter(pk__in=moved).order_by("pk").values("pk"))
    for (topics, replies), author_ids in moves.items():
        User.objects.filter(pk__in=author_ids).update(
            **_moved("topic_count", topics), **_moved("reply_count", replies)
        )


def counts_of(author_ids: Iterable[int]) -> Counts:
    """The true counts of these members, from the rows (for the recount)."""
    ids = list(author_ids)
    return _grouped(
        started_topics().filter(author__in=ids), created_replies().filter(author__in=ids)
    )


def _counts(topic_ids: frozenset[int], author_ids: frozenset[int] | None) -> Counts:
    topics = started_topics().filter(pk__in=topic_ids)
    replies = created_replies().filter(topic__in=topic_ids)
    if author_ids is not None:
        topics = topics.filter(author__in=author_ids)
        replies = replies.filter(author__in=author_ids)
    return _grouped(topics, replies)


def _grouped(topics: QuerySet, replies: QuerySet) -> Counts:
    counts: defaultdict[int, list[int]] = defaultdict(lambda: [0, 0])
    for column, rows in enumerate((topics, replies)):
        for author_id, n in (
            rows.order_by().values("author").annotate(n=Count("pk")).values_list("author", "n")
        ):
            counts[author_id][column] = n
    return {author_id: (topics, replies) for author_id, (topics, replies) in counts.items()}


def _moved(field: str, by: int) -> dict:
    if not by:
        return {}
    # Never below zero: a counter that had drifted must not make a moderator's action fail
    # on the column's check; ``manage.py recount`` puts it right.
    return {field: Greatest(F(field) + by, Value(0)) if by < 0 else F(field) + by}
