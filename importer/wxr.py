"""Reading a WordPress export (WXR) of a bbPress forum, as a stream: one record at a time,
whatever the size of the file, with the line each one starts on.

``read_wxr(path)`` yields :class:`Author`, :class:`Term` and :class:`Item` records in the
file's order. The XML goes through defusedxml's expat reader: a document type declaration,
entity declarations (the "billion laughs") and external entities are refused before anything
is read from them. A file that is not well-formed, or an item without what every item has,
stops the reading with a :class:`WxrError` naming the line. The format: ``../shared/bbpress-
wxr.md`` in the project's design notes, summed up in ``docs/architecture.md``.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax import SAXParseException
from xml.sax.expatreader import ExpatLocator
from xml.sax.handler import ContentHandler, feature_namespaces

from defusedxml import DefusedXmlException
from defusedxml.expatreader import create_parser

WP_NAMESPACES = ("http://wordpress.org/export/1.2/", "http://wordpress.org/export/1.1/")
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
CHUNK = 1 << 16  # bytes fed to the parser at a time


class WxrError(Exception):
    """The file cannot be read as a WordPress export: ``line`` says where."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line


@dataclass
class Author:
    line: int
    author_id: int
    login: str
    email: str
    display_name: str
    first_name: str
    last_name: str


@dataclass
class Term:
    line: int
    term_id: int
    taxonomy: str
    slug: str
    name: str


@dataclass
class Item:
    """One post of any type (``forum``, ``topic``, ``reply``, or WordPress's own, which the
    importer skips), with its post meta rows in file order."""

    line: int
    post_id: int
    post_type: str
    title: str
    content: str
    slug: str
    status: str
    parent_id: int
    menu_order: int
    created_at: datetime
    modified_at: datetime | None
    # ``created_at`` is the site's local time read as GMT: a held post's, which WordPress
    # dates only locally ("0000-00-00 00:00:00" in wp:post_date_gmt). ``SiteClock`` mends it.
    created_is_local: bool
    local_offset: timedelta | None  # wp:post_date − wp:post_date_gmt, when both are given
    creator: str  # the author's login; empty for a guest's post
    tags: list[tuple[str, str]] = field(default_factory=list)  # (slug, name), topic-tag only
    meta: list[tuple[str, str]] = field(default_factory=list)

    def meta_value(self, key: str, default: str = "") -> str:
        """The first value of meta ``key``."""
        return next((value for name, value in self.meta if name == key), default)

    def meta_values(self, key: str) -> list[str]:
        """Every value of meta ``key`` (bbPress keeps a row per subscriber, say)."""
        return [value for name, value in self.meta if name == key]


class SiteClock:
    """The GMT date of each item, read in the file's order: a held post has only the site's
    local time, so the site's offset from GMT is taken from the latest item before it that
    has both dates (a summer post takes summer time); before any, none."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def created_at(self, item: Item) -> datetime:
        if item.local_offset is not None:
            self.offset = item.local_offset
        return item.created_at - self.offset if item.created_is_local else item.created_at


def read_wxr(
    path: str | Path, *, on_bytes: Callable[[int], None] | None = None
) -> Iterator[Author | Term | Item]:
    """The records of the export at ``path``, one at a time, in bounded memory;
    ``on_bytes`` hears how many bytes of the file have been read, after each chunk."""
    handler = _Handler()
    parser = create_parser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(handler)
    # Fed in chunks, the reader gives no locator of its own (only ``parse()`` does).
    handler.setDocumentLocator(ExpatLocator(parser))
    with open(path, "rb") as stream:
        done = 0
        while chunk := stream.read(CHUNK):
            _parse(lambda chunk=chunk: parser.feed(chunk), handler)
            yield from handler.take()
            done += len(chunk)
            if on_bytes:
                on_bytes(done)
        _parse(parser.close, handler)
        yield from handler.take()
    if not handler.seen_channel:
        raise WxrError("no <channel>: this is not a WordPress export (WXR) file", 1)


def _parse(step, handler: "_Handler") -> None:
    """Run one step of the parser (``feed`` a chunk, ``close``), its failures as WxrError."""
    try:
        step()
    except SAXParseException as error:
        message = f"not well-formed XML ({error.getMessage()})"
        raise WxrError(message, error.getLineNumber()) from None
    except DefusedXmlException as refused:
        raise WxrError(f"refused: {refused}", handler.line()) from None


def _gmt(text: str, line: int, what: str) -> datetime | None:
    """A WXR date ("2023-08-16 11:34:05", GMT); ``None`` for WordPress's empty
    "0000-00-00 00:00:00"."""
    text = text.strip()
    if not text or text.startswith("0000-00-00"):
        return None
    # fromisoformat (C, a tenth of strptime's time: three dates an item, twice a million
    # items) takes other ISO forms too, so the shape is checked first.
    if not _WXR_DATE.fullmatch(text):
        raise WxrError(f"{what} is not a date: {text!r}", line)
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    except ValueError:
        raise WxrError(f"{what} is not a date: {text!r}", line) from None


_WXR_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")


def _number(text: str, line: int, what: str, *, default: int | None = None) -> int:
    text = text.strip()
    if not text and default is not None:
        return default
    try:
        return int(text)
    except ValueError:
        raise WxrError(f"{what} is not a number: {text!r}", line) from None


class _Handler(ContentHandler):
    """Builds one record at a time from the parser's events; ``take()`` hands over those
    finished since the last call."""

    def __init__(self) -> None:
        super().__init__()
        self.done: list[Author | Term | Item] = []
        self.seen_channel = False
        self.stack: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.record: dict | None = None
        self.record_line = 0
        self.meta_key = ""
        self.meta_value = ""

    def line(self) -> int | None:
        locator = getattr(self, "_locator", None)
        return locator.getLineNumber() if locator else None

    def take(self) -> list[Author | Term | Item]:
        done, self.done = self.done, []
        return done

    # -- SAX events

    def startElementNS(self, name, qname, attrs) -> None:
        namespace, local = name
        namespace = namespace or ""
        self.stack.append((namespace, local))
        self.text = []
        wp = namespace in WP_NAMESPACES
        if local == "channel" and not namespace:
            self.seen_channel = True
        elif local == "item" and not namespace and self._in_channel():
            self.record = {"kind": "item", "tags": [], "meta": []}
            self.record_line = self.line() or 0
        elif wp and local in ("author", "term", "category", "tag") and self._depth() == 3:
            self.record = {"kind": local}
            self.record_line = self.line() or 0
        elif local == "category" and not namespace and self.record is not None:
            self.record["category"] = (
                attrs.get((None, "domain"), ""),
                attrs.get((None, "nicename"), ""),
            )

    def characters(self, content: str) -> None:
        self.text.append(content)

    def endElementNS(self, name, qname) -> None:
        namespace, local = name
        namespace = namespace or ""
        text = "".join(self.text)
        self.text = []
        self.stack.pop()
        record = self.record
        if record is None:
            return
        wp = namespace in WP_NAMESPACES
        if record["kind"] == "item":
            self._item_field(record, namespace, local, wp, text)
        elif wp and local in ("author", "term", "category", "tag") and self._depth() == 2:
            self._finish_term_or_author(record)
        elif wp:
            record[local] = text

    # -- records

    def _depth(self) -> int:
        return len(self.stack)

    def _in_channel(self) -> bool:
        return bool(self.stack) and self.stack[-2:-1] == [("", "channel")]

    def _item_field(self, record: dict, namespace: str, local: str, wp: bool, text: str):
        if local == "item" and not namespace:
            self.done.append(self._item(record))
            self.record = None
        elif wp and local == "meta_key":
            self.meta_key = text
        elif wp and local == "meta_value":
            self.meta_value = text
        elif wp and local == "postmeta":
            record["meta"].append((self.meta_key, self.meta_value))
            self.meta_key = self.meta_value = ""
        elif local == "category" and not namespace:
            domain, nicename = record.pop("category", ("", ""))
            if domain == "topic-tag":
                record["tags"].append((nicename, text.strip()))
        elif local == "encoded" and namespace == CONTENT:
            record["content"] = text
        elif local == "creator" and namespace == DC:
            record["creator"] = text.strip()
        elif local == "title" and not namespace and self._depth() == 3:
            record["title"] = text
        elif wp and self._depth() == 3:
            record[local] = text

    def _item(self, record: dict) -> Item:
        line = self.record_line
        if "post_id" not in record or "post_type" not in record:
            raise WxrError("an <item> without wp:post_id or wp:post_type", line)
        gmt = _gmt(record.get("post_date_gmt", ""), line, "wp:post_date_gmt")
        local = _gmt(record.get("post_date", ""), line, "wp:post_date")
        created = gmt or local  # a held post's local date is all there is
        if created is None:
            raise WxrError("an <item> without a date", line)
        return Item(
            line=line,
            post_id=_number(record["post_id"], line, "wp:post_id"),
            post_type=record["post_type"].strip(),
            title=record.get("title", ""),
            content=record.get("content", ""),
            slug=record.get("post_name", "").strip(),
            status=record.get("status", "publish").strip(),
            parent_id=_number(record.get("post_parent", ""), line, "wp:post_parent", default=0),
            menu_order=_number(record.get("menu_order", ""), line, "wp:menu_order", default=0),
            created_at=created,
            created_is_local=gmt is None,
            local_offset=local - gmt if gmt and local else None,
            modified_at=_gmt(record.get("post_modified_gmt", ""), line, "wp:post_modified_gmt"),
            creator=record.get("creator", ""),
            tags=record["tags"],
            meta=record["meta"],
        )

    def _finish_term_or_author(self, record: dict) -> None:
        line = self.record_line
        if record["kind"] == "author":
            self.done.append(
                Author(
                    line=line,
                    author_id=_number(record.get("author_id", ""), line, "wp:author_id", default=0),
                    login=record.get("author_login", "").strip(),
                    email=record.get("author_email", "").strip(),
                    display_name=record.get("author_display_name", "").strip(),
                    first_name=record.get("author_first_name", "").strip(),
                    last_name=record.get("author_last_name", "").strip(),
                )
            )
        elif record["kind"] == "term":
            self.done.append(
                Term(
                    line=line,
                    term_id=_number(record.get("term_id", ""), line, "wp:term_id", default=0),
                    taxonomy=record.get("term_taxonomy", "").strip(),
                    slug=record.get("term_slug", "").strip(),
                    name=record.get("term_name", "").strip(),
                )
            )
        self.record = None
