"""bbPress HTML to safe HTML: how a post imported from bbPress is rendered into ``body_html``.

bbPress stores what the member typed into its textarea: HTML, with paragraphs left as blank
lines, which WordPress turned into a page at display time. :func:`render_bbpress_html` does
what that display did, in this order, and nothing a post could abuse:

1. **Auto-embeds** (``WP_Embed::autoembed``): a URL alone on its own line (or alone in a
   ``<p>``) becomes a plain link to it, all of the line's non-space run; no iframe is embedded.
2. **make_clickable**: bare ``http(s)://`` URLs, ``www.``/``ftp.`` addresses and email addresses
   in text become links, as WordPress's ``make_clickable`` makes them (trailing punctuation
   left out, parentheses kept only when balanced) -- never inside a tag, a link, ``<pre>`` or
   ``<code>``. Unlike WordPress, a URL character outside ASCII must be a letter or a digit
   (WordPress counts every non-ASCII byte in, so a closing curly quote joined the URL).
3. **wpautop**, ported from ``wp-includes/formatting.php`` (:func:`wpautop`).
4. **Shortcodes are never run**: ``[gallery ids="1,2"]``, ``[quote]``, ``[code]``... stay the
   text they are (any HTML between them is HTML as everywhere else).
5. Tag renames, then :func:`forum.markup.sanitise_html`, the sanitiser markdown posts go
   through. Headings move down one level, as markdown's do (the page title is the one
   ``h1``). ``<b>``, ``<i>`` and ``<strike>`` become ``<strong>``, ``<em>`` and ``<del>``:
   they look the same, and renaming them keeps one allow-list for every post, with nothing
   in it that only imported posts use. Other tags outside it (``<u>``, ``<span>``,
   ``<iframe>``...) are dropped, their text kept; ``<script>`` and ``<style>`` go with their
   content.

Left out, being typography rather than content: ``wptexturize`` (curly quotes),
``convert_smilies`` (``:)`` stays text) and bbPress's @-mention links.

The importer runs this on every post it brings in, so the regular expressions are compiled
once and each step is skipped when the text cannot need it.
"""

import re

from .markup import sanitise_html

# --- wpautop ------------------------------------------------------------------------------

# PHP's PCRE (no /u) knows only ASCII whitespace: re.ASCII keeps \s from matching a no-break
# space, which WordPress leaves in place.
_A = re.ASCII
_ALL_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section"
    r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
# WordPress's get_html_split_regex(): a comment, a CDATA section or an element (to its first
# ">", or to the end of the text when it has none).
_HTML_SPLIT = re.compile(r"(<(?:!--.*?(?:-->|\Z)|!\[CDATA\[.*?(?:\]\]>|\Z)|[^>]*>?))", re.S)
_NEWLINE_IN_TAG = re.compile(r"<[^>]*\n")
_BR_PAIR = re.compile(r"<br\s*/?>\s*<br\s*/?>", _A)
_BLOCK_OPEN = re.compile(rf"(<{_ALL_BLOCKS}[\s/>])", _A)
_BLOCK_CLOSE = re.compile(rf"(</{_ALL_BLOCKS}>)")
_HR = re.compile(r"(<hr\s*?/?>)", _A)
_OPTION_BEFORE = re.compile(r"\s*<option", _A)
_OPTION_AFTER = re.compile(r"</option>\s*", _A)
_OBJECT_OPEN = re.compile(r"(<object[^>]*>)\s*", _A)
_OBJECT_CLOSE = re.compile(r"\s*</object>", _A)
_OBJECT_PARAM = re.compile(r"\s*(</?(?:param|embed)[^>]*>)\s*", _A)
_MEDIA_OPEN = re.compile(r"([<\[](?:audio|video)[^>\]]*[>\]])\s*", _A)
_MEDIA_CLOSE = re.compile(r"\s*([<\[]/(?:audio|video)[>\]])", _A)
_MEDIA_SOURCE = re.compile(r"\s*(<(?:source|track)[^>]*>)\s*", _A)
_FIGCAPTION_OPEN = re.compile(r"\s*(<figcaption[^>]*>)", _A)
_FIGCAPTION_CLOSE = re.compile(r"</figcaption>\s*", _A)
_NEWLINES = re.compile(r"\n\n+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n", _A)
_EMPTY_P = re.compile(r"<p>\s*</p>", _A)
_UNCLOSED_P = re.compile(r"<p>([^<]+)</(div|address|form)>")
_P_AROUND_BLOCK = re.compile(rf"<p>\s*(</?{_ALL_BLOCKS}[^>]*>)\s*</p>", _A)
_P_AROUND_LI = re.compile(r"<p>(<li.+?)</p>")
_P_AROUND_BLOCKQUOTE = re.compile(r"<p><blockquote([^>]*)>", re.I)
_P_BEFORE_BLOCK = re.compile(rf"<p>\s*(</?{_ALL_BLOCKS}[^>]*>)", _A)
_P_AFTER_BLOCK = re.compile(rf"(</?{_ALL_BLOCKS}[^>]*>)\s*</p>", _A)
_RAW_ELEMENT = re.compile(r"<(script|style|svg|math).*?</\1>", re.S)
# WordPress's (?<!<br />)\s*\n, the same matches; starting with \s lets the search skip ahead.
_NEWLINE_TO_BR = re.compile(r"\s(?<!<br />\s)\s*(?<=\n)", _A)
_BR_AFTER_BLOCK = re.compile(rf"(</?{_ALL_BLOCKS}[^>]*>)\s*<br />", _A)
_BR_BEFORE_BLOCK = re.compile(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", _A)
_LAST_NEWLINE = re.compile(r"\n</p>$")
_PHP_WHITESPACE = " \t\n\r\0\x0b"  # what PHP's trim() strips


def wpautop(text: str) -> str:
    """WordPress's ``wpautop($text, $br = true)``, step for step (WordPress 6.x).

    A blank line starts a paragraph (``<p>``), any other newline is a ``<br />``; block
    elements (lists, quotes, tables, headings...) are not wrapped in ``<p>``, and a
    ``<pre>``'s content is left exactly as typed. Every step of the original is here; those
    for markup a forum post rarely has (``<option>``, ``<object>``, ``<audio>``/``<video>``
    sources, ``<figcaption>``, newlines inside ``<script>``/``<style>``/``<svg>``/``<math>``)
    run only when their tag is present, as in WordPress.
    """
    if not text.strip(_PHP_WHITESPACE):
        return ""
    text += "\n"  # WordPress pads the end "to make things a little easier"

    # <pre> elements are put aside, their places held, and put back at the end.
    pre_tags: dict[str, str] = {}
    if "<pre" in text:
        *parts, last = text.split("</pre>")
        kept = []
        for part in parts:
            start = part.find("<pre")
            if start == -1:  # malformed HTML
                kept.append(part)
                continue
            name = f"<pre wp-pre-tag-{len(pre_tags)}></pre>"
            pre_tags[name] = part[start:] + "</pre>"
            kept.append(part[:start] + name)
        text = "".join(kept) + last

    text = _BR_PAIR.sub("\n\n", text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    text = _HR.sub(r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A newline inside a tag is not a line break: hold its place.
    if _NEWLINE_IN_TAG.search(text):
        pieces = _HTML_SPLIT.split(text)
        pieces[1::2] = [tag.replace("\n", " <!-- wpnl --> ") for tag in pieces[1::2]]
        text = "".join(pieces)
    if "<option" in text:
        text = _OPTION_BEFORE.sub("<option", text)
        text = _OPTION_AFTER.sub("</option>", text)
    if "</object>" in text:
        text = _OBJECT_OPEN.sub(r"\1", text)
        text = _OBJECT_CLOSE.sub("</object>", text)
        text = _OBJECT_PARAM.sub(r"\1", text)
    if "<source" in text or "<track" in text:
        text = _MEDIA_OPEN.sub(r"\1", text)
        text = _MEDIA_CLOSE.sub(r"\1", text)
        text = _MEDIA_SOURCE.sub(r"\1", text)
    if "<figcaption" in text:
        text = _FIGCAPTION_OPEN.sub(r"\1", text)
        text = _FIGCAPTION_CLOSE.sub("</figcaption>", text)
    text = _NEWLINES.sub("\n\n", text)

    paragraphs = (part.strip("\n") for part in _PARAGRAPH_BREAK.split(text) if part)
    text = "".join(f"<p>{paragraph}</p>\n" for paragraph in paragraphs)

    text = _EMPTY_P.sub("", text)
    text = _UNCLOSED_P.sub(r"<p>\1</p></\2>", text)
    text = _P_AROUND_BLOCK.sub(r"\1", text)
    text = _P_AROUND_LI.sub(r"\1", text)
    text = _P_AROUND_BLOCKQUOTE.sub(r"<blockquote\1><p>", text)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = _P_BEFORE_BLOCK.sub(r"\1", text)
    text = _P_AFTER_BLOCK.sub(r"\1", text)

    if "<s" in text or "<math" in text:
        text = _RAW_ELEMENT.sub(lambda m: m[0].replace("\n", "<WPPreserveNewline />"), text)
    text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
    text = _NEWLINE_TO_BR.sub("<br />\n", text)
    text = text.replace("<WPPreserveNewline />", "\n")

    text = _BR_AFTER_BLOCK.sub(r"\1", text)
    text = _BR_BEFORE_BLOCK.sub(r"\1", text)
    text = _LAST_NEWLINE.sub("</p>", text)

    for name, pre in pre_tags.items():
        text = text.replace(name, pre)
    if "<!-- wpnl -->" in text:
        text = text.replace(" <!-- wpnl --> ", "\n").replace("<!-- wpnl -->", "\n")
    return text


# --- auto-embeds and make_clickable ---------------------------------------------------------

# A tag (quoted attribute values may hold ">") or a comment; text is what lies between.
_TAG = re.compile(r"""(<!--.*?(?:-->|\Z)|<[A-Za-z/!?](?:[^>"']|"[^"]*"|'[^']*')*>)""", re.S)
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")
# Inside these, text is left as it is: a link in a link, or in code, is not wanted.
_NO_LINKS_INSIDE = {"a", "code", "pre", "script", "style", "textarea"}
_PARAGRAPH_OPEN = re.compile(r"<p(?:\s[^>]*)?>\Z", re.I)
# make_clickable's three kinds of address. Each pattern starts with what the address starts
# with, so the search skips ahead quickly; what may come before it is checked in Python.
_URL_CHAR = r"[\w#%~/@\[\]*(+=&$-]"
_URL = re.compile(
    # Punctuation inside a URL only when more URL follows; then a ")" that may balance one.
    rf"[hH][tT][tT][pP][sS]?://(?=\S{{1,2000}}(?!\S)){_URL_CHAR}+"
    rf"(?:['.,;:!?)]{_URL_CHAR}+)*(\)?)"
)
_URL_AFTER = "(<.,;:!?"  # or a space, or nothing
_EMBED_URL = re.compile(r"""[hH][tT][tT][pP][sS]?://[^\s<>"]+""")
_WWW = re.compile(r"(?:[wW][wW][wW]|[fF][tT][pP])\.[\w#$%&~/.\-;:=,?@\[\]+]+")
_EMAIL_DOMAIN = re.compile(r"@(?:[0-9a-zA-Z-]+\.)+[0-9a-zA-Z]{2,}")
_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-")
_LINE_SPACE = " \t"


def _link(url: str, text: str | None = None) -> str:
    return f'<a href="{url}">{text or url}</a>'


def _after_space(text: str, at: int) -> bool:
    return at == 0 or text[at - 1].isspace()


def _link_urls(text: str, *, line_starts: bool, line_ends: bool) -> str:
    """``text`` with its ``http(s)://`` URLs made links; ``line_starts`` and ``line_ends`` say
    whether ``text``'s edges are ends of its line (the auto-embed's own-line rule)."""
    pieces, at = [], 0
    for match in _URL.finditer(text):
        start = match.start()
        if start < at or not (_after_space(text, start) or text[start - 1] in _URL_AFTER):
            continue
        # Alone on its line, it is the auto-embed's link: the whole of the line's run.
        embed = _EMBED_URL.match(text, start)
        before, after = text[:start], text[embed.end() :]
        line_start, line_end = before.rfind("\n"), after.find("\n")
        if (
            (line_start != -1 or line_starts)
            and (line_end != -1 or line_ends)
            and not before[line_start + 1 :].strip(_LINE_SPACE)
            and not after[: None if line_end == -1 else line_end].strip(_LINE_SPACE)
        ):
            pieces += [text[at:start], _link(embed[0])]
            at = embed.end()
            continue
        url, suffix = match[0], ""
        if match[1] and "(" not in url[:-1]:  # the ")" balances nothing in the URL
            url, suffix = url[:-1], ")"
        while url.count("(") < url.count(")"):  # a ")" stays in only when paired
            cut = url.rindex(")")
            url, suffix = url[:cut], url[cut:] + suffix
        pieces += [text[at:start], _link(url), suffix]
        at = match.end()
    return "".join(pieces) + text[at:] if pieces else text


def _link_www(text: str) -> str:
    """``text`` with its ``www.``/``ftp.`` addresses made ``http://`` links."""
    pieces, at = [], 0
    for match in _WWW.finditer(text):
        if not _after_space(text, match.start()):
            continue
        url, suffix = match[0], ""
        if url[-1] in ".,;:)":
            url, suffix = url[:-1], url[-1]
        pieces += [text[at : match.start()], _link(f"http://{url}"), suffix]
        at = match.end()
    return "".join(pieces) + text[at:] if pieces else text


def _link_emails(text: str) -> str:
    """``text`` with its email addresses made ``mailto:`` links."""
    pieces, at = [], 0
    for match in _EMAIL_DOMAIN.finditer(text):
        start = match.start()
        while start > at and text[start - 1] in _EMAIL_LOCAL:
            start -= 1
        if start == match.start() or not _after_space(text, start):
            continue
        address = text[start : match.end()]
        pieces += [text[at:start], _link(f"mailto:{address}", address)]
        at = match.end()
    return "".join(pieces) + text[at:] if pieces else text


def _make_clickable_text(text: str, *, line_starts: bool, line_ends: bool) -> str:
    # In WordPress's order, each on the one before's result: an address inside a link
    # already made has no space before it, so is not made a link again.
    if "://" in text:
        text = _link_urls(text, line_starts=line_starts, line_ends=line_ends)
    lowered = text.lower()
    if "www." in lowered or "ftp." in lowered:
        text = _link_www(text)
    if "@" in text:
        text = _link_emails(text)
    return text


def make_clickable(html: str) -> str:
    """``html`` with the URLs and email addresses in its text made links (steps 1 and 2 of
    the module's docstring); tags, and text inside links, code and ``<pre>``, untouched."""
    lowered = html.lower()
    if "://" not in html and "www." not in lowered and "ftp." not in lowered and "@" not in html:
        return html
    pieces = _TAG.split(html)
    open_tags: dict[str, int] = {}
    last = len(pieces) - 1
    for index in range(0, len(pieces), 2):
        if index:
            tag = pieces[index - 1]
            name = _TAG_NAME.match(tag)
            if name and (name := name[1].lower()) in _NO_LINKS_INSIDE:
                if tag[1] == "/":
                    open_tags[name] = max(open_tags.get(name, 0) - 1, 0)
                elif not tag.endswith("/>"):
                    open_tags[name] = open_tags.get(name, 0) + 1
        text = pieces[index]
        if not text or any(open_tags.values()):
            continue
        pieces[index] = _make_clickable_text(
            text,
            line_starts=index == 0 or bool(_PARAGRAPH_OPEN.match(pieces[index - 1])),
            line_ends=index == last or pieces[index + 1].lower().startswith("</p"),
        )
    return "".join(pieces)


# --- the whole -------------------------------------------------------------------------------

_RENAMED_TAGS = {
    "b": "strong", "i": "em", "strike": "del",
    "h1": "h2", "h2": "h3", "h3": "h4", "h4": "h5", "h5": "h6",
}  # fmt: skip
_RENAMED_TAG = re.compile(r"<(/?)(b|i|strike|h[1-5])(?=[\s/>])", re.I)


def _rename_tag(match: re.Match) -> str:
    return f"<{match[1]}{_RENAMED_TAGS[match[2].lower()]}"


def render_bbpress_html(text: str) -> str:
    """Render a bbPress post's stored HTML to sanitised HTML, ready for ``Post.body_html``
    (what WordPress showed, made safe: see the module's docstring)."""
    html = wpautop(make_clickable(text.replace("\r\n", "\n")))
    return sanitise_html(_RENAMED_TAG.sub(_rename_tag, html))
