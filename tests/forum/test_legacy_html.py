"""Posts imported from bbPress render their HTML as WordPress showed it, through the same
sanitiser as markdown posts: paragraphs from blank lines, shortcodes as text, no XSS."""

import re

import pytest

from forum import services
from forum.legacy_html import render_bbpress_html, wpautop
from forum.markup import ALLOWED_TAGS, count_links, mentioned_usernames, plain_text, render_body
from forum.models import Post
from tests.forum.test_markup import parse_tags

REL = 'rel="nofollow ugc noopener noreferrer"'


class TestWpautop:
    """The port of WordPress's ``wpautop``, on its own (WordPress's ``<br />`` spelling)."""

    def test_a_blank_line_starts_a_paragraph(self):
        assert wpautop("One.\n\nTwo.") == "<p>One.</p>\n<p>Two.</p>\n"

    def test_a_single_newline_is_a_line_break(self):
        assert wpautop("One\ntwo") == "<p>One<br />\ntwo</p>\n"

    def test_more_blank_lines_still_make_one_paragraph_break(self):
        assert wpautop("One\n\n\n\nTwo\r\n\r\nThree") == ("<p>One</p>\n<p>Two</p>\n<p>Three</p>\n")

    def test_block_elements_are_not_wrapped_in_paragraphs(self):
        text = "Before\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\nAfter"
        assert (
            wpautop(text)
            == "<p>Before</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<p>After</p>\n"
        )

    def test_a_quote_gets_its_paragraphs_inside_it(self):
        assert wpautop("<blockquote>Said\n\nthis</blockquote>\nReply") == (
            "<blockquote><p>Said</p>\n<p>this</p></blockquote>\n<p>Reply</p>\n"
        )

    def test_pre_content_is_left_as_typed(self):
        text = "Code:\n<pre>a = 1\n\n  b = 2\n</pre>\nDone"
        assert wpautop(text) == "<p>Code:</p>\n<pre>a = 1\n\n  b = 2\n</pre>\n<p>Done</p>\n"

    def test_a_newline_inside_a_tag_is_not_a_line_break(self):
        assert wpautop('A <a href="/x"\ntitle="t">link</a>') == (
            '<p>A <a href="/x"\ntitle="t">link</a></p>\n'
        )

    def test_two_typed_line_breaks_make_a_paragraph_break(self):
        assert wpautop("One<br />\n<br>Two") == "<p>One</p>\n<p>Two</p>\n"

    def test_blank_text_stays_empty(self):
        assert wpautop(" \n\t\n") == ""


class TestParagraphsAndTags:
    def test_paragraphs_and_line_breaks(self):
        assert render_bbpress_html("One.\n\nTwo\nthree") == "<p>One.</p>\n<p>Two<br>\nthree</p>\n"

    def test_pre_keeps_its_blank_lines_and_gets_no_line_breaks(self):
        html = render_bbpress_html("<pre>x\n\ny</pre>")
        assert html == "<pre>x\n\ny</pre>\n"

    def test_common_bbpress_markup_survives(self):
        text = (
            "<blockquote>quoted</blockquote>\n<code>x()</code> <del>old</del> "
            "<strong>s</strong> <em>e</em>\n<ol>\n<li>one</li>\n</ol>"
        )
        html = render_bbpress_html(text)
        for tag in ("<blockquote>", "<code>", "<del>", "<strong>", "<em>", "<ol>", "<li>"):
            assert tag in html

    def test_images_are_kept_with_their_source_and_text(self):
        html = render_bbpress_html('<img src="https://example.com/a.png" alt="A squat" class="x">')
        assert html == '<p><img src="https://example.com/a.png" alt="A squat"></p>\n'

    def test_links_keep_their_title_and_are_marked_nofollow_ugc(self):
        html = render_bbpress_html(
            '<a href="https://example.com/" title="Site" target="_blank">s</a>'
        )
        assert html == f'<p><a href="https://example.com/" title="Site" {REL}>s</a></p>\n'

    def test_headings_move_down_a_level_so_the_page_keeps_one_h1(self):
        html = render_bbpress_html("<h1>Title</h1>\n<H3>Part</H3>\n<h5>Small</h5>\n<h6>Least</h6>")
        assert "<h1" not in html
        assert "<h2>Title</h2>" in html
        assert "<h4>Part</h4>" in html
        assert "<h6>Small</h6>" in html
        assert "<h6>Least</h6>" in html

    def test_b_and_i_become_strong_and_em(self):
        html = render_bbpress_html(
            "<b>bold</b><br>\n<I>it</I> <strike>gone</strike>\n\n<blockquote>q</blockquote>"
        )
        # <br> and <blockquote> start like <b>, and are left as they are.
        assert html == (
            "<p><strong>bold</strong><br>\n<em>it</em> <del>gone</del></p>\n"
            "<blockquote><p>q</p></blockquote>\n"
        )

    def test_tags_outside_the_allow_list_go_and_their_text_stays(self):
        html = render_bbpress_html('<u>under</u> <span style="color:red">red</span> <div>box</div>')
        # A <div> is a block to wpautop, so its text gets no <p> of its own.
        assert html == "<p>under red </p>\nbox\n"

    def test_a_typed_mention_class_is_not_kept(self):
        html = render_bbpress_html('<a href="/forums/users/bob/" class="mention">@bob</a>')
        assert 'class="mention"' not in html
        assert mentioned_usernames(html) == []
        assert count_links(html) == 1


class TestShortcodes:
    @pytest.mark.parametrize(
        "shortcode",
        [
            '[gallery ids="1,2"]',
            "[quote]Quoted[/quote]",
            "[code]x = 1[/code]",
            '[audio src="https://example.com/a.mp3" /]',
            "[embed]https://youtu.be/abc[/embed]",
        ],
    )
    def test_a_shortcode_shows_as_the_text_it_is(self, shortcode):
        html = render_bbpress_html(f"Look: {shortcode}")
        assert plain_text(html) == f"Look: {shortcode}"
        assert "<a " not in html and "<audio" not in html and "<iframe" not in html

    def test_html_inside_a_shortcode_is_sanitised_as_anywhere(self):
        html = render_bbpress_html('[caption]<img src="/a.png" onerror="alert(1)"> Me[/caption]')
        assert html == '<p>[caption]<img src="/a.png"> Me[/caption]</p>\n'


class TestEntities:
    def test_an_entity_is_escaped_once(self):
        html = render_bbpress_html("Tom &amp; Jerry &lt;3 &quot;hi&quot; caf&eacute;")
        assert "&amp;amp;" not in html
        assert plain_text(html) == 'Tom & Jerry <3 "hi" café'

    def test_a_bare_ampersand_and_angle_bracket_are_text(self):
        html = render_bbpress_html("a < b & c > d")
        assert html == "<p>a &lt; b &amp; c &gt; d</p>\n"

    def test_escaped_markup_stays_text(self):
        html = render_bbpress_html("&lt;script&gt;alert(1)&lt;/script&gt;")
        assert html == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="javascript:alert(1)">',
    "<iframe src=https://evil.example></iframe>",
    '<svg onload="alert(1)"></svg>',
    "<style>body{display:none}</style>",
    '<p style="position:fixed;top:0">cover</p>',
    '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
    '[x a="<script>alert(1)</script>"]',
    "javascript://example.com/%0Aalert(1)",
    '<a title="x > <script>alert(1)</script>">t</a>',
    "<form action=https://evil.example><input name=q></form>",
    "<object data=https://evil.example/x.swf></object>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_renders_inert(payload):
    html = render_bbpress_html(payload)
    for tag, attributes in parse_tags(html):
        assert tag in ALLOWED_TAGS, tag
        for name, value in attributes:
            assert name in ("href", "src", "alt", "title", "rel", "start"), (tag, name)
            if name in ("href", "src"):
                assert not re.match(r"\s*(javascript|data|vbscript):", value or "", re.I)


@pytest.mark.parametrize(
    "payload",
    ["<script>alert(1)</script>", "<style>body{display:none}</style>", "<iframe src=x></iframe>"],
)
def test_script_style_and_iframe_leave_nothing_behind(payload):
    html = render_bbpress_html(f"Hi{payload}")
    assert parse_tags(html) == [("p", [])]
    assert plain_text(html) == "Hi"


class TestLinksFromAddresses:
    def test_a_url_alone_on_its_line_becomes_a_plain_link(self):
        html = render_bbpress_html("Watch this:\nhttps://www.youtube.com/watch?v=abc123\nGood.")
        assert html == (
            "<p>Watch this:<br>\n"
            f'<a href="https://www.youtube.com/watch?v=abc123" {REL}>'
            "https://www.youtube.com/watch?v=abc123</a><br>\nGood.</p>\n"
        )

    def test_a_url_alone_in_a_paragraph_becomes_a_link_with_all_its_characters(self):
        html = render_bbpress_html("<p>https://example.com/page.</p>")
        assert f'<a href="https://example.com/page." {REL}>' in html

    def test_a_url_in_a_sentence_becomes_a_link_without_the_full_stop(self):
        html = render_bbpress_html("See https://example.com/a?b=1&amp;c=2. Thanks")
        assert html == (
            f'<p>See <a href="https://example.com/a?b=1&amp;c=2" {REL}>'
            "https://example.com/a?b=1&amp;c=2</a>. Thanks</p>\n"
        )

    def test_a_closing_parenthesis_joins_the_url_only_when_paired(self):
        html = render_bbpress_html("(see https://en.wikipedia.org/wiki/Squat_(exercise))")
        assert 'href="https://en.wikipedia.org/wiki/Squat_(exercise)"' in html
        assert html.endswith("</a>)</p>\n")

    def test_www_and_email_addresses_become_links(self):
        html = render_bbpress_html("Try www.example.com, or mail me@example.com.")
        assert f'<a href="http://www.example.com" {REL}>http://www.example.com</a>,' in html
        assert f'<a href="mailto:me@example.com" {REL}>me@example.com</a>.' in html

    @pytest.mark.parametrize(
        "text",
        [
            '<a href="https://example.com/">https://example.com/</a>',
            "<code>https://example.com/</code>",
            "<pre>https://example.com/</pre>",
            '<img src="https://example.com/a.png" alt="https://example.com/">',
            '<a title="see > https://example.com/" href="/x">x</a>',
            "[url]https://example.com/[/url]",
        ],
    )
    def test_addresses_in_links_code_and_attributes_are_left_alone(self, text):
        assert count_links(render_bbpress_html(text)) == text.count("<a ")


@pytest.mark.django_db
class TestEditingAnImportedPost:
    def test_post_edit_renders_a_bbpress_post_as_html(self, make_topic):
        post = make_topic(body="Opening.").first_post
        Post.objects.filter(pk=post.pk).update(body_format=Post.BodyFormat.BBPRESS_HTML)
        services.post_edit(post=post, editor=post.author, body="<b>Bold</b>\n\n[quote]q[/quote]")
        post.refresh_from_db()
        assert post.body_format == Post.BodyFormat.BBPRESS_HTML
        assert post.body_html == "<p><strong>Bold</strong></p>\n<p>[quote]q[/quote]</p>\n"

    def test_post_edit_still_renders_a_markdown_post_as_markdown(self, make_topic):
        post = make_topic(body="Opening.").first_post
        services.post_edit(post=post, editor=post.author, body="<b>Bold</b>")
        post.refresh_from_db()
        assert post.body_html == "<p>&lt;b&gt;Bold&lt;/b&gt;</p>\n"


def test_render_body_picks_the_renderer_for_the_format():
    assert render_body("*a*\n\n<i>b</i>", Post.BodyFormat.MARKDOWN) == (
        "<p><em>a</em></p>\n<p>&lt;i&gt;b&lt;/i&gt;</p>\n"
    )
    assert render_body("*a*\n\n<i>b</i>", Post.BodyFormat.BBPRESS_HTML) == (
        "<p>*a*</p>\n<p><em>b</em></p>\n"
    )
