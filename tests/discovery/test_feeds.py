"""RSS feeds as a feed reader meets them: every feed parses cleanly (``feedparser``'s
``bozo`` is false), holds the right items and never a hidden one, answers 304 to a reader
that has it already, and is linked from the page it follows."""

import feedparser
import pytest

from forum import services
from forum.models import Post, Topic


def parse(client, url: str, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    assert feed.version == "rss20"
    return feed


def links(feed) -> list[str]:
    return [entry.link.removeprefix("http://testserver") for entry in feed.entries]


def permalink(post: Post) -> str:
    return f"/forums/reply/{post.pk}/"


@pytest.fixture
def thread(make_forum, make_topic, make_reply, ago):
    """A forum with a topic of three replies, one held, and a spammed topic."""
    forum = make_forum("Lifting", slug="lifting")
    topic = make_topic(forum=forum, title="Bench <b>press</b> & form", created_at=ago(hours=5))
    replies = [
        make_reply(topic, body=f"Reply **{n}**.", created_at=ago(hours=4 - n)) for n in range(3)
    ]
    services.post_set_status(post=replies[1], status=Post.Status.PENDING)
    spam = make_topic(forum=forum, title="Cheap pills", created_at=ago(hours=1))
    services.topic_set_status(topic=spam, status=Topic.Status.SPAM)
    return forum, topic, replies, spam


@pytest.mark.django_db
class TestFeeds:
    def test_site_feed_has_topics_and_replies_newest_first(self, client, thread):
        _, topic, replies, _ = thread
        feed = parse(client, "/forums/feed/")
        expected = [replies[2], replies[0], Post.objects.get(pk=topic.first_post_id)]
        assert links(feed)[:3] == [permalink(post) for post in expected]
        titles = [entry.title for entry in feed.entries[:3]]
        assert titles == [
            "Reply To: Bench <b>press</b> & form",
            "Reply To: Bench <b>press</b> & form",
            "Bench <b>press</b> & form",
        ]

    def test_item_content_is_the_sanitised_html(self, client, thread, make_reply):
        _, topic, _, _ = thread
        make_reply(topic, body="<script>alert(1)</script> **bold**")
        entry = parse(client, "/forums/feed/").entries[0]
        assert "<strong>bold</strong>" in entry.description
        assert "<script" not in entry.description
        assert entry.author  # the author's public name
        assert entry.published_parsed is not None

    def test_hidden_posts_and_topics_never_appear(self, client, thread):
        forum, topic, replies, spam = thread
        hidden = {permalink(replies[1]), f"/forums/reply/{spam.first_post_id}/"}
        for url, params in [
            ("/forums/feed/", {}),
            (f"/forums/forum/{forum.slug}/feed/", {}),
            (f"/forums/forum/{forum.slug}/feed/", {"type": "reply"}),
            (f"/forums/topic/{topic.slug}/feed/", {}),
        ]:
            assert not hidden & set(links(parse(client, url, **params))), url
        for url in ["/topics/feed/", "/forums/view/no-replies/feed/"]:
            assert "Cheap pills" not in [e.title for e in parse(client, url).entries]
        assert client.get(f"/forums/topic/{spam.slug}/feed/").status_code == 404

    def test_forum_feed_types(self, client, thread, make_topic):
        forum, topic, replies, _ = thread
        other = make_topic(forum=forum, title="Second topic")
        both = links(parse(client, f"/forums/forum/{forum.slug}/feed/"))
        assert both[0] == f"/forums/reply/{other.first_post_id}/"
        assert permalink(replies[2]) in both
        only_topics = parse(client, f"/forums/forum/{forum.slug}/feed/", type="topic")
        assert [e.title for e in only_topics.entries] == ["Second topic", topic.title]
        only_replies = links(parse(client, f"/forums/forum/{forum.slug}/feed/", type="reply"))
        assert only_replies == [permalink(replies[2]), permalink(replies[0])]

    def test_topic_feed_lists_its_replies(self, client, thread):
        _, topic, replies, _ = thread
        feed = parse(client, f"/forums/topic/{topic.slug}/feed/")
        assert links(feed) == [permalink(replies[2]), permalink(replies[0])]
        assert feed.feed.title.startswith(topic.title)

    def test_latest_topics_and_view_feeds(self, client, thread, make_topic, make_reply):
        forum, topic, _, _ = thread
        quiet = make_topic(forum=forum, title="No answers yet")
        assert [e.title for e in parse(client, "/topics/feed/").entries][:2] == [
            "No answers yet",
            topic.title,
        ]
        popular = [e.title for e in parse(client, "/forums/view/popular/feed/").entries]
        assert popular[0] == topic.title
        no_replies = [e.title for e in parse(client, "/forums/view/no-replies/feed/").entries]
        assert quiet.title in no_replies and topic.title not in no_replies
        assert client.get("/forums/view/nonsense/feed/").status_code == 404

    def test_twenty_five_items(self, client, make_topic, make_reply):
        topic = make_topic()
        for n in range(30):
            make_reply(topic, body=f"Reply {n}")
        assert len(parse(client, "/forums/feed/").entries) == 25
        assert len(parse(client, f"/forums/topic/{topic.slug}/feed/").entries) == 25

    def test_a_reply_in_a_long_thread_is_in_the_site_feed(
        self, client, make_topic, make_reply, ago
    ):
        """The latest posts are found among the most recently active topics."""
        busy = make_topic(title="Busy", created_at=ago(days=10))
        for n in range(30):
            make_reply(busy, created_at=ago(days=9, minutes=-n))
        for n in range(26):
            make_topic(title=f"Newer {n}", created_at=ago(days=5, minutes=-n))
        latest = make_reply(busy, body="Back again.")
        assert links(parse(client, "/forums/feed/"))[0] == permalink(latest)


@pytest.mark.django_db
class TestConditionalGet:
    def test_a_reader_with_the_current_feed_gets_304(
        self, client, thread, make_reply, django_capture_on_commit_callbacks
    ):
        first = client.get("/forums/feed/")
        assert first.status_code == 200 and first.has_header("ETag")
        assert first.has_header("Last-Modified")
        assert not first.cookies
        again = client.get("/forums/feed/", HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        since = client.get("/forums/feed/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304
        _, topic, _, _ = thread
        with django_capture_on_commit_callbacks(execute=True):
            make_reply(topic, body="New.")
        changed = client.get("/forums/feed/", HTTP_IF_NONE_MATCH=first["ETag"])
        assert changed.status_code == 200

    def test_cached_feeds_keep_their_type_and_variants(self, client, thread):
        forum = thread[0]
        url = f"/forums/forum/{forum.slug}/feed/"
        for _ in range(2):  # the second time from the page cache
            topics = client.get(url, {"type": "topic"})
            posts = client.get(url)
            assert topics["Content-Type"].startswith("application/rss+xml")
            assert feedparser.parse(topics.content).feed.title.startswith("Lifting – Topics")
            assert feedparser.parse(posts.content).feed.title.startswith("Lifting – Posts")

    def test_feeds_cost_a_fixed_number_of_queries(
        self, client, settings, make_forum, make_topic, make_reply, django_assert_num_queries
    ):
        settings.FORUM_PAGE_CACHE_SECONDS = 0
        forum = make_forum("Lifting", slug="lifting")
        topic = make_topic(forum=forum)
        make_reply(topic)
        queries = {
            "/forums/feed/": 2,  # the recent topics, their posts
            "/forums/forum/lifting/feed/": 4,  # the forum, its stuck and other topics, posts
            "/forums/forum/lifting/feed/?type=topic": 2,  # the forum, its topics
            f"/forums/topic/{topic.slug}/feed/": 2,  # the topic, its replies
            "/topics/feed/": 1,
            "/forums/view/popular/feed/": 1,
        }
        for url, count in queries.items():
            with django_assert_num_queries(count):
                client.get(url)
        for _ in range(30):
            make_reply(make_topic(forum=forum))
            make_reply(topic)
        for url, count in queries.items():
            with django_assert_num_queries(count):
                assert client.get(url).status_code == 200


@pytest.mark.django_db
class TestFeedLinks:
    def test_pages_link_to_their_feeds(self, client, thread):
        forum, topic, _, _ = thread
        for page, feed in [
            ("/forums/", "/forums/feed/"),
            (f"/forums/forum/{forum.slug}/", f"/forums/forum/{forum.slug}/feed/"),
            (f"/forums/topic/{topic.slug}/", f"/forums/topic/{topic.slug}/feed/"),
            ("/topics/", "/topics/feed/"),
            ("/forums/view/popular/", "/forums/view/popular/feed/"),
        ]:
            html = client.get(page).content.decode()
            assert '<link rel="alternate" type="application/rss+xml"' in html, page
            assert f'href="{feed}"' in html, page


@pytest.mark.django_db
class TestWhatFeedsMustNotCarry:
    def test_a_restored_topics_hidden_opening_post_stays_out_of_topic_feeds(
        self, client, make_forum, make_topic
    ):
        forum = make_forum("Lifting", slug="lifting")
        topic = make_topic(forum=forum, title="Restored", body="Buy cheap pills here.")
        services.post_set_status(post=topic.first_post, status=Post.Status.SPAM)
        services.topic_set_status(topic=topic, status=Topic.Status.OPEN)  # the post stays spam
        for url in [
            "/topics/feed/",
            "/forums/view/no-replies/feed/",
            "/forums/forum/lifting/feed/?type=topic",
        ]:
            path, _, query = url.partition("?")
            feed = parse(client, path, **dict([query.split("=")]) if query else {})
            entry = next(e for e in feed.entries if e.title == "Restored")
            assert "pills" not in entry.description, url

    def test_links_are_on_the_sites_address_whatever_host_the_reader_asked(
        self, client, settings, make_topic
    ):
        settings.FORUM_SITE_URL = "https://forum.example.org"
        make_topic(title="Hosted")
        response = client.get("/topics/feed/", HTTP_HOST="localhost")
        feed = feedparser.parse(response.content)
        assert feed.feed.link.startswith("https://forum.example.org/")
        assert all(e.link.startswith("https://forum.example.org/") for e in feed.entries)
        assert b"localhost" not in client.get("/topics/feed/").content

    def test_an_older_item_appearing_is_not_answered_304_to_if_modified_since(
        self, client, make_topic, make_reply, time_machine, django_capture_on_commit_callbacks
    ):
        time_machine.move_to("2026-12-01 12:00:00 +0000", tick=False)
        topic = make_topic(title="Held")
        reply = make_reply(topic, body="Waiting for a moderator.")
        services.post_set_status(post=reply, status=Post.Status.PENDING)
        first = client.get("/forums/feed/")
        time_machine.move_to("2026-12-01 12:05:00 +0000", tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            services.post_set_status(post=reply, status=Post.Status.PUBLISHED)
        again = client.get("/forums/feed/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert again.status_code == 200
        assert "Waiting for a moderator." in again.content.decode()
