"""The thread page as an anonymous reader meets it, in the bbPress format."""

import gzip
import re

import brotli
import pytest

from forum import services
from forum.models import Topic
from tests.conftest import GUIDE_SLUG
from tests.pages import text_of

GUIDE_URL = f"/forums/topic/{GUIDE_SLUG}/"


def description(response) -> str:
    match = re.search(r"This topic has .*? by [^.]+\.", text_of(response))
    assert match, "no description sentence on the page"
    return match.group(0)


@pytest.mark.django_db
class TestSeededGuidePage:
    @pytest.fixture(autouse=True)
    def _late_november_2026(self, time_machine):
        time_machine.move_to("2026-11-25 12:00 +0000", tick=False)

    def test_reads_as_the_source_thread(self, client):
        response = client.get(GUIDE_URL)
        assert response.status_code == 200
        text = text_of(response)
        assert description(response) == (
            "This topic has 0 replies, 1 voice, and was last updated 3 years, 3 months ago by admin."
        )
        assert "Viewing 1 post (of 1 total)" in text
        assert "August 16, 2023 at 11:34 am #6700" in text
        assert "Welcome to this comprehensive guide on the effectiveness of hip thrusts" in text
        assert "You must be logged in to reply to this topic." in text

    def test_has_breadcrumb_title_and_author_posts_header_and_footer(self, client):
        html = client.get(GUIDE_URL).content.decode()
        assert html.count("<h1") == 1
        assert "<h1>Do Hip Thrusts Work the Lower Back?</h1>" in html
        crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S).group(0)
        assert [c.strip() for c in re.findall(r"<li[^>]*>(?:<a[^>]*>)?([^<]+)", crumbs)] == [
            "Home",
            "Forums",
            "Guides",
            "Do Hip Thrusts Work the Lower Back?",
        ]
        assert html.count('<div class="posts__author">Author</div>') == 2
        assert html.count('<div class="posts__content">Posts</div>') == 2

    def test_post_has_permalink_and_author_block(self, client):
        html = client.get(GUIDE_URL).content.decode()
        assert 'id="post-6700"' in html
        assert f'href="{GUIDE_URL}#post-6700">#6700</a>' in html
        assert (
            '<time datetime="2023-08-16T11:34:00+00:00">August 16, 2023 at 11:34 am</time>' in html
        )
        assert re.search(r'<span class="avatar avatar--c\d"[^>]*>A</span>', html)
        assert 'href="/forums/users/admin/">admin</a>' in html
        assert '<span class="post__author-role">Keymaster</span>' in html

    def test_time_links_to_last_post_and_author_to_their_page(self, client):
        html = client.get(GUIDE_URL).content.decode()
        assert re.search(
            r'last updated <a href="/forums/reply/6700/"[^>]*>3 years, 3 months ago</a> '
            r'by <a href="/forums/users/admin/">admin</a>\.',
            html,
        )

    def test_login_notice_links_to_log_in_and_register(self, client):
        html = client.get(GUIDE_URL).content.decode()
        notice = re.search(r'<section class="reply-area".*?</section>', html, re.S).group(0)
        assert f'<a href="/accounts/login/?next=/forums/topic/{GUIDE_SLUG}/">Log in</a>' in notice
        assert '<a href="/accounts/signup/">Register</a>' in notice
        assert "<form" not in notice


@pytest.mark.django_db
class TestDescriptionSentence:
    def test_one_reply_two_voices(self, client, make_topic, make_reply, make_member, ago):
        topic = make_topic(created_at=ago(days=3))
        make_reply(topic, author=make_member("bea"), created_at=ago(minutes=5, seconds=3))
        assert description(client.get(topic.get_absolute_url())) == (
            "This topic has 1 reply, 2 voices, and was last updated 5 minutes ago by bea."
        )

    def test_two_replies_one_voice(self, client, make_topic, make_reply, make_member, ago):
        author = make_member("carl", display_name="Carl C.")
        topic = make_topic(author=author, created_at=ago(days=20))
        make_reply(topic, author=author, created_at=ago(days=17, hours=1))
        make_reply(topic, author=author, created_at=ago(days=17, minutes=30))
        assert description(client.get(topic.get_absolute_url())) == (
            "This topic has 2 replies, 1 voice, and was last updated 2 weeks, 3 days ago by Carl C."
        )

    def test_large_counts_have_thousands_separators(self, client, make_topic, make_member):
        topic = make_topic(author=make_member("eve"))
        Topic.objects.filter(pk=topic.pk).update(reply_count=1233, voice_count=1001)
        assert description(client.get(topic.get_absolute_url())).startswith(
            "This topic has 1,233 replies, 1,001 voices,"
        )

    def test_just_posted_reads_right_now(self, client, make_topic, make_member):
        topic = make_topic(author=make_member("dee"))
        assert description(client.get(topic.get_absolute_url())) == (
            "This topic has 0 replies, 1 voice, and was last updated right now by dee."
        )


@pytest.mark.django_db
class TestPagination:
    @pytest.fixture(autouse=True)
    def _five_posts_a_page(self, settings):
        settings.FORUM_POSTS_PER_PAGE = 5

    def test_pages_count_posts_and_link_each_other(self, client, make_topic, make_reply, ago):
        topic = make_topic(created_at=ago(days=2))
        for minutes in range(10, 0, -1):
            make_reply(topic, created_at=ago(minutes=minutes))
        first = client.get(topic.get_absolute_url())
        assert "Viewing 5 posts - 1 through 5 (of 11 total)" in text_of(first)
        assert f'href="{topic.get_absolute_url()}page/2/"' in first.content.decode()
        middle = client.get(f"{topic.get_absolute_url()}page/2/")
        assert "Viewing 5 posts - 6 through 10 (of 11 total)" in text_of(middle)
        last = client.get(f"{topic.get_absolute_url()}page/3/")
        assert "Viewing 11 post (of 11 total)" in text_of(last)
        assert 'rel="prev"' in last.content.decode()

    def test_page_one_redirects_to_the_topic(self, client, guide_topic):
        response = client.get(f"{GUIDE_URL}page/1/")
        assert response.status_code == 301
        assert response["Location"] == GUIDE_URL

    def test_page_past_the_end_is_not_found(self, client, guide_topic):
        assert client.get(f"{GUIDE_URL}page/2/").status_code == 404


@pytest.mark.django_db
class TestNotFound:
    def test_unknown_topic_gets_the_404_page(self, client):
        response = client.get("/forums/topic/no-such-topic/")
        assert response.status_code == 404
        assert "Page not found" in text_of(response)

    def test_trashed_topic_is_not_found(self, client, make_topic):
        topic = make_topic()
        topic.status = topic.Status.TRASH
        topic.save(update_fields=["status"])
        assert client.get(topic.get_absolute_url()).status_code == 404


@pytest.mark.django_db
class TestAnonymousReadsAreCheapAndCacheable:
    def test_anonymous_get_sets_no_cookie_and_writes_nothing(
        self, client, django_assert_max_num_queries, guide_topic
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for url in (
            "/",
            "/forums/",
            "/forums/forum/guides/",
            GUIDE_URL,
            "/forums/users/admin/",
            "/guides/",
            f"/guides/{GUIDE_SLUG}/",
            "/forums/reply/6700/",
            "/nope/",
        ):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert not response.cookies, f"{url} set a cookie"
            assert "Set-Cookie" not in response.headers
            statements = [q["sql"].lstrip().split()[0].upper() for q in queries.captured_queries]
            assert set(statements) <= {"SELECT"}, f"{url} wrote: {statements}"

    def test_query_count_does_not_grow_with_posts(
        self, client, make_topic, make_reply, django_assert_num_queries
    ):
        small = make_topic()
        big = make_topic()
        for _ in range(30):
            make_reply(big)
        with django_assert_num_queries(2):
            client.get(small.get_absolute_url())
        with django_assert_num_queries(2):
            client.get(big.get_absolute_url())
        with django_assert_num_queries(2):
            client.get(f"{big.get_absolute_url()}page/2/")

    def test_cached_page_costs_no_query(self, client, guide_topic, django_assert_num_queries):
        client.get(GUIDE_URL)
        with django_assert_num_queries(0):
            response = client.get(GUIDE_URL)
        assert "This topic has 0 replies" in text_of(response)

    def test_a_reply_shows_at_once_despite_the_cache(
        self, client, guide_topic, make_reply, django_capture_on_commit_callbacks
    ):
        client.get(GUIDE_URL)
        with django_capture_on_commit_callbacks(execute=True):
            make_reply(guide_topic, body="Fresh reply text")
        response = client.get(GUIDE_URL)
        assert "Fresh reply text" in text_of(response)
        assert "This topic has 1 reply, 2 voices" in text_of(response)

    def test_an_edit_shows_at_once_despite_the_cache(
        self, client, guide_topic, django_capture_on_commit_callbacks
    ):
        client.get(GUIDE_URL)
        with django_capture_on_commit_callbacks(execute=True):
            services.post_edit(
                post=guide_topic.first_post, editor=guide_topic.author, body="Edited guide text"
            )
        assert "Edited guide text" in text_of(client.get(GUIDE_URL))

    def test_etag_revalidation_returns_304_until_the_topic_changes(
        self, client, guide_topic, make_reply, django_capture_on_commit_callbacks
    ):
        first = client.get(GUIDE_URL)
        etag = first["ETag"]
        assert "public" in first["Cache-Control"]
        assert client.get(GUIDE_URL, headers={"if-none-match": etag}).status_code == 304
        with django_capture_on_commit_callbacks(execute=True):
            make_reply(guide_topic)
        again = client.get(GUIDE_URL, headers={"if-none-match": etag})
        assert again.status_code == 200
        assert again["ETag"] != etag

    @pytest.mark.parametrize(("accept", "encoding"), [("gzip, deflate", "gzip"),
                             ("gzip, deflate, br", "br"), ("br;q=0, gzip", "gzip")])  # fmt: skip
    def test_cached_pages_are_stored_and_served_compressed(
        self, client, guide_topic, accept, encoding, django_assert_num_queries
    ):
        plain = client.get(GUIDE_URL).content
        client.get(GUIDE_URL, headers={"accept-encoding": accept})
        with django_assert_num_queries(0):  # the second reader gets the stored bytes
            response = client.get(GUIDE_URL, headers={"accept-encoding": accept})
        assert response["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response["Vary"]
        decompress = {"gzip": gzip.decompress, "br": brotli.decompress}[encoding]
        assert decompress(response.content) == plain
        assert len(response.content) < len(plain) / 2

    def test_each_encoding_has_its_own_etag(self, client, guide_topic):
        plain = client.get(GUIDE_URL)
        packed = client.get(GUIDE_URL, headers={"accept-encoding": "gzip"})
        assert "Content-Encoding" not in plain
        assert plain["ETag"] != packed["ETag"]
        revalidated = client.get(
            GUIDE_URL, headers={"accept-encoding": "gzip", "if-none-match": packed["ETag"]}
        )
        assert revalidated.status_code == 304
        assert client.get(GUIDE_URL, headers={"if-none-match": packed["ETag"]}).status_code == 200

    def test_members_get_a_private_uncached_page(self, client, guide_topic, make_member):
        client.force_login(make_member("erin"))
        response = client.get(GUIDE_URL)
        assert "private" in response["Cache-Control"]
        assert "ETag" not in response
        assert "You must be logged in to reply" not in text_of(response)


@pytest.mark.django_db
def test_post_body_is_rendered_safely_on_the_page(client, make_topic):
    topic = make_topic(body="<script>alert('x')</script> [a](javascript:alert(1))")
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html


@pytest.mark.django_db
def test_author_names_are_escaped_in_the_author_block(client, make_topic, make_member):
    author = make_member("mallory", display_name='<img src=x onerror="alert(1)">')
    topic = make_topic(author=author)
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "<img src=x" not in html
    assert ">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</a>" in html
    assert 'aria-hidden="true">&lt;</span>' in html  # the avatar's initial


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client, guide_topic):
    csp = client.get(GUIDE_URL)["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp


@pytest.mark.django_db
def test_topic_without_a_published_post_still_renders(client, make_topic):
    topic = make_topic()
    type(topic).objects.filter(pk=topic.pk).update(last_post=None)
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    assert "This topic has 0 replies, 1 voice, and was last updated right now." in text_of(response)
