"""Markdown renders to inert, sanitised HTML: the one place XSS is defended."""

import re
from html.parser import HTMLParser

import pytest

from forum.markup import ALLOWED_TAGS, render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    '<svg onload="alert(1)"></svg>',
    "<style>body{display:none}</style>",
    '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
]


def parse_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag in ``html`` with its attributes, as a browser's parser reads them."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_renders_inert(payload):
    for tag, attributes in parse_tags(render_markdown(payload)):
        assert tag in ALLOWED_TAGS
        for name, value in attributes:
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src"):
                assert not re.match(r"\s*(javascript|data|vbscript):", value or "", re.I)


def test_typed_html_is_shown_as_text():
    assert render_markdown("<b>bold</b>") == "<p>&lt;b&gt;bold&lt;/b&gt;</p>\n"


def test_javascript_link_loses_its_href():
    html = render_markdown("[click](javascript:alert(1))")
    assert "href" not in html
    assert "click" in html


def test_links_are_marked_nofollow_ugc():
    html = render_markdown("[site](https://example.com)")
    assert 'href="https://example.com"' in html
    assert 'rel="nofollow ugc noopener noreferrer"' in html


def test_bare_urls_become_links():
    assert 'href="https://example.com/page"' in render_markdown("see https://example.com/page")


def test_markdown_features_survive_sanitising():
    html = render_markdown("**b** *i* `c` ~~s~~\n\n> quote\n\n- one\n- two\n\n1. first\n")
    for tag in ("<strong>", "<em>", "<code>", "<s>", "<blockquote>", "<ul>", "<ol>"):
        assert tag in html


def test_headings_move_down_a_level_so_the_page_keeps_one_h1():
    html = render_markdown("# Title\n\n## Section\n\n###### Deep")
    assert "<h1" not in html
    assert "<h2>Title</h2>" in html
    assert "<h3>Section</h3>" in html
    assert "<h6>Deep</h6>" in html
