"""Markdown to safe HTML: the one place post bodies are rendered, so XSS has one place to test.

markdown-it-py parses with raw HTML off (typed tags come out as text), then nh3 keeps only an
allow-list of tags, attributes and URL schemes and marks every link ``nofollow ugc``.
Headings move down one level (``#`` becomes ``h2``): the page's title is its only ``h1``.
:func:`plain_text` and :func:`summary` read stored HTML back as text, for meta descriptions.
"""

import re
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt

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
    """Render a post body to sanitised HTML, ready to store in ``Post.body_html``."""
    env: dict = {}
    tokens = _parser.parse(text, env)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    return nh3.clean(
        _parser.renderer.render(tokens, _parser.options, env),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
    )


def count_links(html: str) -> int:
    """The links a reader could click in HTML from :func:`render_markdown`.

    After sanitising, ``<a `` can only be a tag: a typed one comes out as ``&lt;a``.
    """
    return html.count("<a ")


def quote_markdown(body: str, *, author_name: str) -> str:
    """A post's markdown as a block quote headed by its author, to start a reply with."""
    quoted = "\n".join(f"> {line}" if line else ">" for line in body.splitlines())
    return f"**{author_name}** wrote:\n\n{quoted}\n\n"


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
