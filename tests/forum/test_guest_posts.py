"""Guests' posts, as bbPress shows them: by the name the guest wrote under, linked to their
website (``rel="nofollow ugc"``) or to nothing, "Guest" on the role line, never by the shared
guest account the importer writes them as; and a threaded reply's "In reply to: #<id>"."""

import re

import feedparser
import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from forum import services
from forum.models import Post
from tests.pages import text_of

JANE_SITE = "https://jane.example/lifting"


@pytest.fixture
def guest_account(db) -> User:
    """The one account every guest's post is written by: inactive, no password."""
    return User.objects.create_user("bbp-guest", email="", password=None, is_active=False)


@pytest.fixture
def as_guest(guest_account):
    """``as_guest(post, "Jane", website=…, reply_to=…)``: the post made a guest's, as the
    importer writes one."""

    def make(post: Post, name: str, *, website: str = "", reply_to: Post | None = None) -> Post:
        Post.objects.filter(pk=post.pk).update(
            author=guest_account, guest_name=name, guest_website=website, reply_to=reply_to
        )
        post.refresh_from_db()
        return post

    return make


@pytest.fixture
def thread(make_forum, make_member, make_topic, make_reply, guest_account, as_guest, ago):
    """A member's topic where Jane (with a website) replies, then Anon (without) answers her;
    and a topic a guest started. Made through the services as the guest account, then given
    the guests' names."""
    forum = make_forum("Lifting", slug="lifting")
    alice = make_member("alice", display_name="Alice")
    topic = make_topic(forum=forum, author=alice, title="Squat depth", created_at=ago(hours=5))
    jane = as_guest(
        make_reply(topic, author=guest_account, created_at=ago(hours=4)), "Jane", website=JANE_SITE
    )
    anon = as_guest(
        make_reply(topic, author=guest_account, created_at=ago(hours=3)), "Anon", reply_to=jane
    )
    started = make_topic(
        forum=forum, author=guest_account, title="Guest question", created_at=ago(hours=2)
    )
    as_guest(Post.objects.get(pk=started.first_post_id), "Jane", website=JANE_SITE)
    topic.refresh_from_db()
    return {"forum": forum, "topic": topic, "jane": jane, "anon": anon, "started": started}


def author_cell(html: str, post: Post) -> str:
    match = re.search(
        rf'<article[^>]*id="post-{post.pk}".*?<div class="post__author">(.*?)</div>', html, re.S
    )
    assert match, f"no author cell for #{post.pk}"
    return match.group(1)


def post_meta(html: str, post: Post) -> str:
    match = re.search(
        rf'<article[^>]*id="post-{post.pk}".*?<header class="post__meta">(.*?)</header>',
        html,
        re.S,
    )
    assert match, f"no meta line for #{post.pk}"
    return match.group(1)


@pytest.mark.django_db
class TestThreadPage:
    def test_guest_with_a_website_is_named_and_linked_to_it_nofollow(self, client, thread):
        html = client.get(thread["topic"].get_absolute_url()).content.decode()
        cell = author_cell(html, thread["jane"])
        assert (
            f'<a class="post__author-name" id="post-{thread["jane"].pk}-by" '
            f'href="{JANE_SITE}" rel="nofollow ugc">Jane</a>'
        ) in cell
        assert '<span class="post__author-role">Guest</span>' in cell

    def test_guest_without_a_website_is_named_without_a_link(self, client, thread):
        html = client.get(thread["topic"].get_absolute_url()).content.decode()
        cell = author_cell(html, thread["anon"])
        assert f'<span class="post__author-name" id="post-{thread["anon"].pk}-by">Anon</span>' in (
            cell
        )
        assert "<a " not in cell
        assert '<span class="post__author-role">Guest</span>' in cell

    def test_guests_get_the_default_avatar_of_their_name(self, client, thread):
        html = client.get(thread["topic"].get_absolute_url()).content.decode()
        assert re.search(
            r'<span class="avatar avatar--c\d" aria-hidden="true">J</span>',
            author_cell(html, thread["jane"]),
        )
        assert re.search(
            r'<span class="avatar avatar--c\d" aria-hidden="true">A</span>',
            author_cell(html, thread["anon"]),
        )

    def test_the_guest_account_is_never_named_nor_linked(self, client, thread, guest_account):
        for url in [
            thread["topic"].get_absolute_url(),
            thread["started"].get_absolute_url(),
            "/forums/forum/lifting/",
            "/forums/",
            "/topics/",
        ]:
            html = client.get(url).content.decode()
            assert "/forums/users/bbp-guest/" not in html, url
            assert "bbp-guest" not in text_of(client.get(url)), url

    def test_hidden_headings_name_the_guest(self, client, thread):
        html = client.get(thread["topic"].get_absolute_url()).content.decode()
        assert f"Reply #{thread['jane'].pk} by Jane</h2>" in html
        assert f"Reply #{thread['anon'].pk} by Anon</h2>" in html

    def test_members_posts_keep_their_names_and_roles(self, client, thread):
        html = client.get(thread["topic"].get_absolute_url()).content.decode()
        cell = author_cell(html, Post.objects.get(pk=thread["topic"].first_post_id))
        assert 'href="/forums/users/alice/">Alice</a>' in cell
        assert 'rel="nofollow' not in cell
        assert '<span class="post__author-role">Participant</span>' in cell

    def test_description_names_the_guest_who_posted_last(self, client, thread):
        response = client.get(thread["topic"].get_absolute_url())
        assert re.search(
            r"This topic has 2 replies, \d voices?, and was last updated .+ ago by Anon\.",
            text_of(response),
        )
        assert re.search(r"</a> by Anon\.</p>", response.content.decode())

    def test_description_links_a_last_guest_to_their_website(self, client, thread, make_reply):
        topic = thread["started"]
        html = client.get(topic.get_absolute_url()).content.decode()
        assert f'by <a href="{JANE_SITE}" rel="nofollow ugc">Jane</a>.</p>' in html

    def test_a_threaded_reply_says_what_it_answers(self, client, thread):
        jane, anon = thread["jane"], thread["anon"]
        html = client.get(thread["topic"].get_absolute_url()).content.decode()
        assert (
            f'In reply to: <a href="/forums/reply/{jane.pk}/">#{jane.pk}</a> by Jane'
            in post_meta(html, anon)
        )
        assert "In reply to" not in post_meta(html, jane)

    def test_a_member_sees_the_same(self, client, thread, make_member):
        client.force_login(make_member())
        html = client.get(thread["topic"].get_absolute_url()).content.decode()
        assert f'href="{JANE_SITE}" rel="nofollow ugc">Jane</a>' in author_cell(
            html, thread["jane"]
        )
        assert '<span class="post__author-role">Guest</span>' in author_cell(html, thread["anon"])
        assert f'In reply to: <a href="/forums/reply/{thread["jane"].pk}/">' in html
        assert "/forums/users/bbp-guest/" not in html

    def test_a_reply_to_a_hidden_post_links_nowhere_for_readers(self, client, thread, make_member):
        services.post_set_status(post=thread["jane"], status=Post.Status.SPAM)
        html = client.get(thread["topic"].get_absolute_url()).content.decode()
        assert "In reply to" not in html
        moderator = make_member(role=User.Role.MODERATOR)
        client.force_login(moderator)
        html = client.get(thread["topic"].get_absolute_url()).content.decode()
        assert f'In reply to: <a href="/forums/reply/{thread["jane"].pk}/">' in html

    def test_a_website_that_is_not_a_web_address_is_not_linked(self, client, thread, as_guest):
        as_guest(thread["jane"], "Jane", website="javascript:alert(1)")
        html = client.get(thread["topic"].get_absolute_url()).content.decode()
        assert "javascript:" not in html
        assert f'<span class="post__author-name" id="post-{thread["jane"].pk}-by">Jane</span>' in (
            html
        )

    def test_guest_names_are_escaped(self, client, thread, as_guest):
        as_guest(thread["anon"], '<b>"Bold"</b>', website='https://x.example/?a="1"<')
        html = client.get(thread["topic"].get_absolute_url()).content.decode()
        assert "<b>" not in html
        assert "&lt;b&gt;&quot;Bold&quot;&lt;/b&gt;" in html
        assert 'href="https://x.example/?a=&quot;1&quot;&lt;" rel="nofollow ugc"' in html

    def test_guests_and_threaded_replies_cost_no_query(
        self, client, make_topic, make_reply, make_member, as_guest, django_assert_num_queries
    ):
        topic = make_topic()
        replies = [make_reply(topic) for _ in range(3)]
        member = make_member()

        def member_queries() -> int:
            client.force_login(member)
            with CaptureQueriesContext(connection) as queries:
                client.get(topic.get_absolute_url())
            client.logout()
            return len(queries)

        with django_assert_num_queries(2):  # the topic, its page of posts
            client.get(topic.get_absolute_url())
        member_queries()  # the first visit records what the member has read
        before = member_queries()
        as_guest(replies[1], "Jane", website=JANE_SITE)
        as_guest(replies[2], "Anon", reply_to=replies[1])
        for cache in caches.all():
            cache.clear()
        with django_assert_num_queries(2):
            assert "In reply to" in client.get(topic.get_absolute_url()).content.decode()
        assert member_queries() == before, before


@pytest.mark.django_db
class TestLists:
    def test_topic_list_says_started_by_the_guest(self, client, thread):
        html = client.get("/forums/forum/lifting/").content.decode()
        row = re.search(r"<tr[^>]*>\s*<th[^>]*>(?:(?!</tr>).)*Guest question.*?</tr>", html, re.S)
        assert row
        assert re.search(
            r'Started by: <span class="avatar avatar--c\d avatar--small" aria-hidden="true">J'
            rf'</span><a href="{JANE_SITE}" rel="nofollow ugc">Jane</a>',
            row.group(0),
        )

    def test_topic_list_freshness_names_the_last_guest(self, client, thread):
        html = client.get("/forums/forum/lifting/").content.decode()
        row = re.search(r"<tr[^>]*>\s*<th[^>]*>(?:(?!</tr>).)*Squat depth.*?</tr>", html, re.S)
        assert row
        assert '<span class="freshness-author">by Anon</span>' in row.group(0)

    def test_lists_across_forums_name_the_guests(self, client, thread):
        for url in ["/topics/", "/forums/view/no-replies/"]:
            html = client.get(url).content.decode()
            assert 'Started by: <span class="avatar' in html, url
            assert f'<a href="{JANE_SITE}" rel="nofollow ugc">Jane</a>' in html, url

    def test_forum_index_last_post_is_by_the_guest(self, client, thread):
        html = client.get("/forums/").content.decode()
        assert (
            f'<span class="freshness-author">by <a href="{JANE_SITE}" rel="nofollow ugc">'
            "Jane</a></span>"
        ) in html

    def test_member_lists_name_a_guest_who_posted_last(self, client, thread):
        html = client.get("/forums/users/alice/topics/").content.decode()
        assert '<span class="freshness-author">by Anon</span>' in html

    def test_list_query_counts_are_unchanged(self, client, thread, django_assert_num_queries):
        with django_assert_num_queries(1):  # the forums
            client.get("/forums/")
        # The forum, its sub-forums, its topics, and other forums' super sticky topics.
        with django_assert_num_queries(4):
            client.get("/forums/forum/lifting/")


@pytest.mark.django_db
class TestElsewhere:
    def test_search_result_is_by_the_guest(self, client, thread, make_reply, guest_account):
        found = make_reply(thread["topic"], author=guest_account, body="Knee sleeves help.")
        Post.objects.filter(pk=found.pk).update(guest_name="Jane", guest_website=JANE_SITE)
        response = client.get("/forums/search/sleeves/")
        assert f"#{found.pk} by Jane in Lifting" in text_of(response)
        assert f'by <a href="{JANE_SITE}" rel="nofollow ugc">Jane</a> in' in (
            response.content.decode()
        )

    def test_feeds_name_the_guest(self, client, thread):
        feed = feedparser.parse(client.get("/forums/feed/").content)
        authors = {entry.link.rsplit("/", 2)[-2]: entry.get("author") for entry in feed.entries}
        assert authors[str(thread["anon"].pk)] == "Anon"
        assert authors[str(thread["jane"].pk)] == "Jane"
        topics = feedparser.parse(client.get("/topics/feed/").content)
        assert [entry.get("author") for entry in topics.entries if "guest" in entry.link] == [
            "Jane"
        ]

    def test_quoting_a_guest_names_them(self, client, thread, make_member):
        client.force_login(make_member())
        topic, jane = thread["topic"], thread["jane"]
        response = client.get(f"{topic.get_absolute_url()}reply/", {"quote": jane.pk})
        assert f"**Jane** [wrote](/forums/reply/{jane.pk}/)" in response.content.decode()

    def test_reporting_a_guest_post_names_the_guest(self, client, thread, make_member):
        client.force_login(make_member())
        response = client.get(f"/forums/reply/{thread['anon'].pk}/report/")
        assert f"Report post #{thread['anon'].pk} by Anon</h1>" in response.content.decode()
