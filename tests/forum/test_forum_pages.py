"""The forum index and single-forum pages."""

import re

import pytest

from forum import services
from forum.models import Topic
from tests.pages import text_of


def rows_of(response) -> list[str]:
    html = response.content.decode()
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr\b.*?</tr>", body, re.S)
    ]


@pytest.mark.django_db
class TestForumIndex:
    @pytest.mark.parametrize("url", ["/", "/forums/"])
    def test_lists_forums_with_topics_posts_and_last_post(self, client, guide_topic, url):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', html) == [
            "Forum",
            "Topics",
            "Posts",
            "Last Post",
        ]
        (row,) = rows_of(response)
        assert row.startswith("Guides Long-form guides from the community. 1 1 ")
        assert row.endswith("ago by admin")
        assert 'href="/forums/reply/6700/"' in html

    def test_counts_include_subforums(self, client, make_forum, make_topic, make_reply):
        category = make_forum("Training", position=-1)
        strength = make_forum("Strength", parent=category)
        topic = make_topic(forum=strength)
        make_reply(topic)
        rows = rows_of(client.get("/forums/"))
        assert rows[0].startswith("Training Strength (1, 2) 1 2 ")

    def test_a_category_shows_the_counts_and_latest_post_of_every_forum_below_it(
        self, client, make_forum, make_topic, make_reply, make_member, ago
    ):
        category = make_forum("Training", position=-1)
        strength = make_forum("Strength", parent=category)
        powerlifting = make_forum("Powerlifting", parent=strength)
        make_topic(forum=strength, created_at=ago(days=2))
        deep = make_topic(forum=powerlifting, created_at=ago(days=1))
        make_reply(deep, author=make_member("dana", display_name="Coach Dana"))
        training, *_ = rows_of(client.get("/forums/"))
        # Strength's own (1, 1) and Powerlifting's (1, 2), its newest post two levels down.
        assert training.startswith("Training Strength (2, 3) 2 3 ")
        assert training.endswith("right now by Coach Dana")

    def test_names_written_out_in_rows_are_escaped(
        self, client, make_forum, make_topic, make_member
    ):
        category = make_forum('<b>"Cat"</b>', slug="cat", position=-1, description="<i>x</i>")
        child = make_forum("<img src=x>", slug="child", parent=category)
        make_topic(forum=child, author=make_member("mallory", display_name="<script>1</script>"))
        html = client.get("/forums/").content.decode()
        assert "<script>1" not in html and "<img src=x>" not in html and "<b>" not in html
        assert "&lt;script&gt;1&lt;/script&gt;" in html
        assert 'aria-label="Forums in &lt;b&gt;&quot;Cat&quot;&lt;/b&gt;"' in html
        assert '<p class="forum-description">&lt;i&gt;x&lt;/i&gt;</p>' in html

    def test_a_forum_without_posts_says_so(self, client, make_forum):
        make_forum("Empty", position=-1)
        assert rows_of(client.get("/forums/"))[0] == "Empty 0 0 No topics yet"

    def test_a_parent_loop_made_in_the_admin_breaks_no_page(self, client, make_forum):
        first = make_forum("First")
        second = make_forum("Second", parent=first)
        first.parent = second  # nothing in the admin stops an operator from doing this
        first.save()
        selfish = make_forum("Selfish")
        selfish.parent = selfish
        selfish.save()
        assert client.get("/forums/").status_code == 200
        for slug in ("first", "second", "selfish"):
            assert client.get(f"/forums/forum/{slug}/").status_code == 200, slug
        assert rows_of(client.get("/forums/forum/first/"))[0].startswith("Second First (0, 0) ")

    def test_query_count_does_not_grow_with_forums(
        self,
        client,
        make_forum,
        make_topic,
        django_assert_num_queries,
        django_capture_on_commit_callbacks,
    ):
        with django_assert_num_queries(1):
            client.get("/forums/")
        with django_capture_on_commit_callbacks(execute=True):
            for index in range(6):
                make_topic(forum=make_forum(f"Forum {index}"))
        with django_assert_num_queries(1):
            client.get("/forums/")


@pytest.mark.django_db
class TestForumPage:
    def test_lists_topics_with_voices_posts_and_last_post(
        self, client, make_forum, make_topic, make_reply, make_member
    ):
        forum = make_forum("Nutrition")
        topic = make_topic(forum=forum, title="Protein timing", author=make_member("ann"))
        make_reply(topic, author=make_member("bob"))
        response = client.get("/forums/forum/nutrition/")
        html = response.content.decode()
        assert re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', html) == [
            "Topic",
            "Voices",
            "Posts",
            "Last Post",
        ]
        (row,) = rows_of(response)
        assert row.startswith("Protein timing Started by: A ann 2 2 ")
        assert row.endswith("right now by bob")
        assert "Viewing 1 topic (of 1 total)" in text_of(response)
        assert "You must be logged in to create new topics." in text_of(response)

    def test_a_row_shows_badges_separated_counts_and_display_names(
        self, client, make_forum, make_topic, make_member
    ):
        forum = make_forum("Records")
        make_topic(forum=forum, title="Meet results", author=make_member("al", display_name="Al B"))
        Topic.objects.filter(title="Meet results").update(
            pin=Topic.Pin.STICKY, status=Topic.Status.CLOSED, reply_count=1233, voice_count=1001
        )
        html = client.get("/forums/forum/records/").content.decode()
        (row,) = rows_of(client.get("/forums/forum/records/"))
        assert row.startswith("Sticky Closed Meet results Started by: A Al B 1,001 1,234 ")
        assert row.endswith("by Al B")
        assert '<tr class="topic--sticky topic--closed">' in html
        assert '<a class="topic-title" href="/forums/topic/meet-results/">' in html
        assert '<a href="/forums/users/al/">Al B</a>' in html

    def test_sticky_topics_come_first(self, client, make_forum, make_topic, ago):
        forum = make_forum("General")
        make_topic(forum=forum, title="Old sticky", created_at=ago(days=30))
        make_topic(forum=forum, title="Newest", created_at=ago(minutes=1))
        Topic.objects.filter(title="Old sticky").update(pin=Topic.Pin.STICKY)
        rows = rows_of(client.get("/forums/forum/general/"))
        assert rows[0].startswith("Sticky Old sticky")
        assert rows[1].startswith("Newest")

    def test_paginates_topics(self, client, settings, make_forum, make_topic, ago):
        settings.FORUM_TOPICS_PER_PAGE = 2
        forum = make_forum("Busy")
        for hours in range(5, 0, -1):
            make_topic(forum=forum, title=f"Topic {hours}h", created_at=ago(hours=hours))
        first = client.get("/forums/forum/busy/")
        assert "Viewing 2 topics - 1 through 2 (of 5 total)" in text_of(first)
        assert [row.split(" Started")[0] for row in rows_of(first)] == ["Topic 1h", "Topic 2h"]
        last = client.get("/forums/forum/busy/page/3/")
        assert "Viewing 5 topic (of 5 total)" in text_of(last)
        assert client.get("/forums/forum/busy/page/4/").status_code == 404
        assert client.get("/forums/forum/busy/page/1/")["Location"] == "/forums/forum/busy/"

    def test_hidden_topics_are_not_listed(self, client, make_forum, make_topic):
        forum = make_forum("Mixed")
        make_topic(forum=forum, title="Visible one")
        make_topic(forum=forum, title="Spam one")
        Topic.objects.filter(title="Spam one").update(status=Topic.Status.SPAM)
        assert "Spam one" not in text_of(client.get("/forums/forum/mixed/"))

    def test_unknown_forum_is_not_found(self, client, db):
        assert client.get("/forums/forum/nope/").status_code == 404

    def test_query_count_does_not_grow_with_topics(
        self,
        client,
        make_forum,
        make_topic,
        make_reply,
        django_assert_num_queries,
        django_capture_on_commit_callbacks,
    ):
        forum = make_forum("Counted")
        make_topic(forum=forum)
        # The forum, its sub-forums, its topics, and other forums' super sticky topics.
        with django_assert_num_queries(4):
            client.get("/forums/forum/counted/")
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(8):
                make_reply(make_topic(forum=forum))
        with django_assert_num_queries(4):
            client.get("/forums/forum/counted/")

    def test_super_sticky_topics_head_every_forum_and_stickies_only_their_own(
        self, client, make_forum, make_topic
    ):
        news, training = make_forum("News"), make_forum("Training")
        announcement = make_topic(forum=news, title="Forum rules")
        notice = make_topic(forum=news, title="News sticky")
        make_topic(forum=training, title="Squat depth")
        services.topic_set_pin(topic=announcement, pin=Topic.Pin.SUPER_STICKY)
        services.topic_set_pin(topic=notice, pin=Topic.Pin.STICKY)
        page = text_of(client.get("/forums/forum/training/"))
        assert "Forum rules" in page
        assert page.index("Forum rules") < page.index("Squat depth")
        assert "News sticky" not in page
        assert text_of(client.get("/forums/forum/news/")).count("Forum rules") == 1


@pytest.mark.django_db
def test_the_index_breadcrumb_names_forums_once(client):
    html = client.get("/forums/").content.decode()
    breadcrumb = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S).group(0)
    assert " ".join(re.sub(r"<[^>]+>", " ", breadcrumb).split()) == "Home Forums"
    assert '<li aria-current="page">Forums</li>' in breadcrumb
