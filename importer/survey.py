"""The import's first pass: read the whole export once, writing nothing, and keep what the
second pass needs to place each post (the members, tags, forums and topics), so that a file
that is malformed anywhere stops the import before anything is written.

Memory stays bounded by the forums, topics and members, never by the posts: of the replies
the survey keeps only a bitmap of their ids (an eighth of a byte per id up to the largest).
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from .php import NotSerialized, php_unserialize
from .wxr import Author, Item, SiteClock, Term, WxrError, read_wxr

# bbPress's statuses (``wp:status``) and what they become here.
TOPIC_STATUSES = {"publish": "open", "closed": "closed", "pending": "pending", "spam": "spam",
                  "trash": "trash"}  # fmt: skip
REPLY_STATUSES = {"publish": "published", "pending": "pending", "spam": "spam", "trash": "trash"}
# Forums are imported when published; private, hidden, trashed or draft ones are not, nor
# anything in them (this forum has no private forums, and importing them would publish what
# was private).
PUBLISHED_FORUM = "publish"
# Post ids as WordPress keeps them (a bigint); past this the survey's bitmap would outgrow
# the import's memory (256 MB at the cap).
MAX_POST_ID = 2**31 - 1
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_TAGS = re.compile(r"<[^>]*>")


class IdBitmap:
    """A set of positive ids as one bit each: a million replies' ids in about 128 KB."""

    def __init__(self) -> None:
        self.bits = bytearray()
        self.count = 0

    def add(self, number: int) -> None:
        byte = number >> 3
        if byte >= len(self.bits):
            self.bits.extend(bytes(max(byte + 1 - len(self.bits), len(self.bits))))
        mask = 1 << (number & 7)
        if not self.bits[byte] & mask:
            self.bits[byte] |= mask
            self.count += 1

    def __contains__(self, number: int) -> bool:
        byte = number >> 3
        return 0 <= byte < len(self.bits) and bool(self.bits[byte] & (1 << (number & 7)))


def plain_title(raw: str, limit: int) -> str:
    """A title as readers saw it: WordPress stores titles with their entities encoded and
    may keep tags in them; here a title is plain text, cut to ``limit`` characters."""
    text = " ".join(html.unescape(_TAGS.sub("", raw)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def usable_slug(wp_slug: str, max_length: int) -> str | None:
    """The WordPress slug as this forum's URLs can take it, or ``None`` when they cannot
    (WordPress keeps non-ASCII slugs percent-encoded; the pages' slugs are ASCII)."""
    slug = unquote(wp_slug)
    return slug if _SLUG.fullmatch(slug) and len(slug) <= max_length else None


def user_ids(values: list[str]) -> list[int]:
    """The WordPress user ids in meta rows (one id a row), the malformed ones skipped."""
    return [number for value in values if (number := whole_number(value)) > 0]


def whole_number(text: str) -> int:
    """``text`` as a whole number of ASCII digits, or 0."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else 0


@dataclass
class TopicPlan:
    """What the import needs of a topic before its posts: the row, without the opening post."""

    wp_id: int
    line: int
    forum_wp_id: int
    title: str
    wp_slug: str
    status: str
    creator: str
    created_at: datetime
    tags: list[tuple[str, str]]
    subscribers: list[int]
    favorited_by: list[int]


@dataclass
class Survey:
    path: Path
    authors: dict[int, Author] = field(default_factory=dict)
    tag_names: dict[str, str] = field(default_factory=dict)  # WordPress slug → name
    forums: dict[int, Item] = field(default_factory=dict)
    topics: dict[int, TopicPlan] = field(default_factory=dict)
    sticky_topic_ids: set[int] = field(default_factory=set)
    post_ids: IdBitmap = field(default_factory=IdBitmap)  # topics' and replies' ids
    first_post_at: dict[str, datetime] = field(default_factory=dict)  # login → earliest post
    min_post_id: int = 0
    max_post_id: int = 0
    replies_by_topic: dict[int, int] = field(default_factory=dict)  # topic's WordPress id → n
    skipped: dict[str, int] = field(default_factory=dict)  # why → how many items

    def skip(self, why: str) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + 1

    @property
    def replies(self) -> int:
        return sum(self.replies_by_topic.values())

    @property
    def posts(self) -> int:
        return len(self.topics) + self.replies

    def hidden_forum_ids(self) -> set[int]:
        """Forums not published (private, hidden, trashed, drafts), with every forum under them."""
        hidden = {wp_id for wp_id, item in self.forums.items() if item.status != PUBLISHED_FORUM}
        changed = True
        while changed:
            below = {
                wp_id
                for wp_id, item in self.forums.items()
                if item.parent_id in hidden and wp_id not in hidden
            }
            hidden |= below
            changed = bool(below)
        return hidden


def survey_export(path: str | Path, *, on_bytes: Callable[[int], None] | None = None) -> Survey:
    """Read the export at ``path`` whole (raising :class:`WxrError` at its first fault) and
    keep what placing the posts needs."""
    survey = Survey(path=Path(path))
    clock = SiteClock()
    for record in read_wxr(path, on_bytes=on_bytes):
        if isinstance(record, Item):
            record.created_at = clock.created_at(record)
        if isinstance(record, Author):
            if record.author_id > 0 and record.login:
                survey.authors[record.author_id] = record
        elif isinstance(record, Term):
            if record.taxonomy == "topic-tag" and record.slug:
                survey.tag_names[record.slug] = record.name
        elif record.post_type == "forum":
            survey.forums[record.post_id] = record
            for value in record.meta_values("_bbp_sticky_topics"):
                survey.sticky_topic_ids |= _sticky_ids(value, record.line)
        elif record.post_type == "topic":
            _survey_topic(survey, record)
        elif record.post_type == "reply":
            if record.status not in REPLY_STATUSES:
                survey.skip(f"replies with status “{record.status}”")
                continue
            topic_id = record.parent_id or whole_number(record.meta_value("_bbp_topic_id"))
            survey.replies_by_topic[topic_id] = survey.replies_by_topic.get(topic_id, 0) + 1
            _note_post(survey, record)
        else:
            survey.skip(f"WordPress items of type “{record.post_type}”")
    hidden = survey.hidden_forum_ids()
    for wp_id in hidden:
        del survey.forums[wp_id]
    if hidden:
        survey.skipped["private, hidden or unpublished forums"] = len(hidden)
    for wp_id, topic in list(survey.topics.items()):
        if topic.forum_wp_id not in survey.forums:
            why = "in forums not imported" if topic.forum_wp_id in hidden else "without their forum"
            survey.skip(f"topics {why}")
            survey.skipped[f"replies {why}"] = survey.replies_by_topic.pop(wp_id, 0) + (
                survey.skipped.get(f"replies {why}", 0)
            )
            del survey.topics[wp_id]
    for wp_id in set(survey.replies_by_topic) - set(survey.topics):
        survey.skipped["replies without their topic"] = survey.replies_by_topic.pop(wp_id) + (
            survey.skipped.get("replies without their topic", 0)
        )
    survey.skipped = {why: n for why, n in survey.skipped.items() if n}
    return survey


def _survey_topic(survey: Survey, item: Item) -> None:
    if item.status not in TOPIC_STATUSES:
        survey.skip(f"topics with status “{item.status}”")
        return
    forum_id = item.parent_id or whole_number(item.meta_value("_bbp_forum_id"))
    survey.topics[item.post_id] = TopicPlan(
        wp_id=item.post_id,
        line=item.line,
        forum_wp_id=forum_id,
        title=item.title,
        wp_slug=item.slug,
        status=item.status,
        creator=item.creator,
        created_at=item.created_at,
        tags=item.tags,
        subscribers=user_ids(item.meta_values("_bbp_subscription")),
        favorited_by=user_ids(item.meta_values("_bbp_favorite")),
    )
    _note_post(survey, item)


def _note_post(survey: Survey, item: Item) -> None:
    if not 0 < item.post_id <= MAX_POST_ID:
        raise WxrError(f"post id {item.post_id} is not one WordPress gives", item.line)
    if item.post_id in survey.post_ids:
        raise WxrError(f"post id {item.post_id} appears twice", item.line)
    survey.post_ids.add(item.post_id)
    survey.min_post_id = min(survey.min_post_id or item.post_id, item.post_id)
    survey.max_post_id = max(survey.max_post_id, item.post_id)
    if item.creator:
        earliest = survey.first_post_at.get(item.creator)
        if earliest is None or item.created_at < earliest:
            survey.first_post_at[item.creator] = item.created_at


def _sticky_ids(value: str, line: int) -> set[int]:
    """The topic ids in a forum's ``_bbp_sticky_topics`` (a PHP-serialised array)."""
    if not value.strip():
        return set()
    try:
        ids = php_unserialize(value)
    except NotSerialized as error:
        raise WxrError(f"_bbp_sticky_topics is not a list of topics ({error})", line) from None
    values = ids.values() if isinstance(ids, dict) else [ids]
    return {number for v in values if isinstance(v, int | str) and (number := whole_number(str(v)))}
