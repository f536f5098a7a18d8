"""Markdown to safe HTML: the one place post bodies are rendered, so XSS has one place to test.

markdown-it-py parses with raw HTML off (typed tags come out as text), then :func:`sanitise_html`
keeps only an allow-list of tags, attributes and URL schemes and marks every link ``nofollow ugc``;
posts imported from bbPress go through the same sanitiser (:mod:`forum.legacy_html`), and
:func:`render_body` picks the renderer a post's ``body_format`` calls for.
Headings move down one level (``#`` becomes ``h2``): the page's title is its only ``h1``.
:func:`plain_text` and :func:`summary` read stored HTML back as text, for meta descriptions.
"""

import re
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "img", "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr",
    "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener noreferrer"

_parser = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False}).enable(
    ["table", "strikethrough", "linkify"]
)


def render_markdown(text: str) -> str:
    """Render a post body to sanitised HTML, ready to store in ``Post.body_html``.

    ``@username`` becomes a link to that member's page (``class="mention"``) when such a
    member exists, in text only: not in code, nor inside a link. One query, when the text
    has an ``@`` that could start a mention.
    """
    env: dict = {}
    tokens = _parser.parse(text, env)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    _link_mentions(tokens)
    return sanitise_html(
        _parser.renderer.render(tokens, _parser.options, env), keep_mention_links=True
    )


def render_body(text: str, body_format: str) -> str:
    """Render a post body in its format (``Post.BodyFormat``) to sanitised HTML."""
    from .legacy_html import render_bbpress_html
    from .models import Post

    if body_format == Post.BodyFormat.BBPRESS_HTML:
        return render_bbpress_html(text)
    return render_markdown(text)


# A mention: "@" not after a word character (so not an email address), then a username's
# characters (Django's: letters, digits and . + - _), not ending in punctuation.
_MENTION = re.compile(r"(?<![\w@./+-])@([\w.+-]*[\w+-]|[\w])")
MENTION_CLASS = "mention"

_SANITISER_OPTIONS = {
    "tags": ALLOWED_TAGS,
    "attributes": ALLOWED_ATTRIBUTES,
    "url_schemes": ALLOWED_URL_SCHEMES,
    "link_rel": LINK_REL,
}
# Built once: an nh3 Cleaner reuses its allow-lists, where nh3.clean rebuilds them each call.
_sanitiser = nh3.Cleaner(**_SANITISER_OPTIONS)
_sanitiser_keeping_mentions = nh3.Cleaner(
    **_SANITISER_OPTIONS, allowed_classes={"a": {MENTION_CLASS}}
)


def sanitise_html(html: str, *, keep_mention_links: bool = False) -> str:
    """``html`` with only the allow-listed tags, attributes and URL schemes left, every link
    marked ``nofollow ugc``; a disallowed tag goes but its text stays (a ``<script>``'s or
    ``<style>``'s goes too). Every post body's HTML passes through here before it is stored.

    ``keep_mention_links`` keeps ``class="mention"`` on links: only for HTML whose mention
    links this module made itself (:func:`render_markdown`). A typed class must not pass, as
    :func:`mentioned_usernames` and :func:`count_links` take such a link for a mention.
    """
    sanitiser = _sanitiser_keeping_mentions if keep_mention_links else _sanitiser
    return sanitiser.clean(html)


def _text_children(tokens: list[Token]) -> list[Token]:
    """The text tokens of the inline content, outside links (code spans are tokens of their
    own, code blocks have no inline content)."""
    found = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        depth = 0
        for child in token.children:
            if child.type == "link_open":
                depth += 1
            elif child.type == "link_close":
                depth -= 1
            elif child.type == "text" and depth == 0 and "@" in child.content:
                found.append(child)
    return found


def _link_mentions(tokens: list[Token]) -> None:
    texts = _text_children(tokens)
    wanted = {m.group(1).lower() for t in texts for m in _MENTION.finditer(t.content)}
    if not wanted:
        return
    members = _members_named(wanted)
    if not members:
        return
    # By identity: a link's text can equal a text outside it, and must stay as it is.
    outside_links = {id(text) for text in texts}
    for token in tokens:
        if token.type == "inline" and token.children:
            token.children = [
                piece
                for child in token.children
                for piece in (
                    _split_mentions(child, members) if id(child) in outside_links else [child]
                )
            ]


def _split_mentions(text: Token, members: dict[str, str]) -> list[Token]:
    """``text`` as text tokens with a link for each mention of a member in ``members``
    (lowercased name: username as stored)."""
    pieces: list[Token] = []
    content, at = text.content, 0
    for match in _MENTION.finditer(content):
        username = members.get(match.group(1).lower())
        if username is None:
            continue
        if match.start() > at:
            pieces.append(_text(content[at : match.start()]))
        link = Token("link_open", "a", 1)
        link.attrs = {"href": _member_url(username), "class": MENTION_CLASS}
        pieces += [link, _text(f"@{username}"), Token("link_close", "a", -1)]
        at = match.end()
    if at < len(content):
        pieces.append(_text(content[at:]))
    return pieces


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _members_named(names: set[str]) -> dict[str, str]:
    from django.db.models.functions import Lower

    from accounts.models import User

    rows = (
        User.objects.annotate(name=Lower("username"))
        .filter(name__in=names)
        .values_list("name", "username")
    )
    return dict(rows)


def _member_url(username: str) -> str:
    from django.urls import reverse

    return reverse("forum:member", kwargs={"username": username})


_MENTION_LINK = re.compile(r'<a href="([^"]*)" class="mention"')


def mentioned_usernames(html: str) -> list[str]:
    """The members a post's stored HTML mentions, in order, once each (usernames)."""
    from urllib.parse import unquote

    names: dict[str, None] = {}
    for href in _MENTION_LINK.findall(html):
        parts = [part for part in href.split("/") if part]
        if parts:
            names.setdefault(unquote(parts[-1]), None)
    return list(names)


def count_links(html: str) -> int:
    """The links a reader could click in HTML from :func:`render_markdown`.

    After sanitising, ``<a `` can only be a tag: a typed one comes out as ``&lt;a``. A
    mention of a member is a link to their page here, not one to count.
    """
    return html.count("<a ") - len(_MENTION_LINK.findall(html))


def quote_markdown(body: str, *, author_name: str, post_url: str) -> str:
    """A post's markdown as a block quote headed by its author, to start a reply with; the
    heading's "wrote" links to the quoted post (``post_url``), which tells its author
    (:func:`quoted_post_ids`)."""
    quoted = "\n".join(f"> {line}" if line else ">" for line in body.splitlines())
    return f"**{author_name}** [wrote]({post_url}):\n\n{quoted}\n\n"


_QUOTE_LINK = re.compile(r'<a href="/forums/reply/(\d+)/"[^>]*>wrote</a>')


def quoted_post_ids(html: str) -> list[int]:
    """The posts a post's stored HTML quotes (their quote headings' links), once each."""
    return list(dict.fromkeys(int(n) for n in _QUOTE_LINK.findall(html)))


# Tags that end a run of text: their text is not run together with the next block's.
_BLOCK_TAGS = {
    "blockquote", "br", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre",
    "table", "td", "th", "tr", "ul",
}  # fmt: skip
_WHITESPACE = re.compile(r"\s+")


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")


def plain_text(html: str) -> str:
    """The text a reader sees in HTML from :func:`render_markdown`: tags dropped (blocks
    kept apart by a space), entities decoded, whitespace collapsed. HTML cut short may end
    in half a tag, which is dropped (the parser is never closed, so it waits for the rest)."""
    parser = _TextParser()
    parser.feed(html)
    return _WHITESPACE.sub(" ", "".join(parser.parts)).strip()


def summary(text: str, *, limit: int = 155, cut_short: bool = False) -> str:
    """``text`` with its whitespace collapsed, at most ``limit`` characters: a longer one is
    cut at a word boundary and ends in "…". ``cut_short`` says ``text`` was cut already
    (it may end in half a word, which is dropped)."""
    text = _WHITESPACE.sub(" ", text).strip()
    if not text or (len(text) <= limit and not cut_short):
        return text
    head = text[: limit - 1]  # room for the ellipsis
    if text[limit - 1 : limit] != " " and " " in head:  # the cut falls inside a word
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" .,;:–—-") + "…"
