"""Unread tracking as a member meets it: the lists mark topics with posts they have not
read and link to the first one; reading a page marks its posts read; "mark all as read";
a new member's history is read; and what it keeps stays small."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import services
from forum.models import Post, Topic
from forum.tagging import topic_set_tags
from reading import selectors as reading_selectors
from reading import services as reading_services
from reading.models import ReadMark, TopicRead
from tests.pages import text_of

NEW_LINK = re.compile(r'<a class="badge badge--new" href="(?P<url>[^"]+)">New<span')


def new_links(response) -> list[str]:
    return NEW_LINK.findall(response.content.decode())


@pytest.fixture
def forum(make_forum):
    return make_forum("Lifting", slug="lifting")


@pytest.fixture
def erin(client, make_member):
    """A member who joined before any of the tests' topics were written."""
    erin = make_member("erin")
    client.force_login(erin)
    return erin


@pytest.mark.django_db
class TestMarkers:
    def test_a_topic_posted_after_joining_is_marked_new_and_links_to_its_unread_post(
        self, client, erin, forum, make_topic
    ):
        topic = make_topic(forum=forum, title="Squat depth")
        response = client.get("/forums/forum/lifting/")
        assert new_links(response) == [f"/forums/topic/{topic.slug}/unread/"]
        assert "topic--unread" in response.content.decode()

    def test_a_new_member_does_not_see_the_history_as_unread(
        self, client, forum, make_topic, make_member
    ):
        make_topic(forum=forum)
        newcomer = make_member("newcomer")
        client.force_login(newcomer)
        assert new_links(client.get("/forums/forum/lifting/")) == []
        assert "New posts" not in text_of(client.get("/forums/"))

    def test_posts_older_than_the_tracking_window_count_as_read(
        self, client, forum, make_topic, make_member, ago, settings
    ):
        settings.UNREAD_TRACKING_DAYS = 30
        veteran = make_member("veteran")
        veteran.date_joined = ago(days=400)
        veteran.save(update_fields=["date_joined"])
        make_topic(forum=forum, title="Old", created_at=ago(days=31))
        recent = make_topic(forum=forum, title="Recent", created_at=ago(days=2))
        client.force_login(veteran)
        assert new_links(client.get("/forums/forum/lifting/")) == [
            f"/forums/topic/{recent.slug}/unread/"
        ]

    def test_reading_the_topic_clears_its_marker(self, client, erin, forum, make_topic):
        topic = make_topic(forum=forum)
        client.get(topic.get_absolute_url())
        assert new_links(client.get("/forums/forum/lifting/")) == []

    def test_a_new_reply_makes_a_read_topic_unread_again(
        self, client, erin, forum, make_topic, make_reply
    ):
        topic = make_topic(forum=forum)
        client.get(topic.get_absolute_url())
        make_reply(topic)
        assert new_links(client.get("/forums/forum/lifting/")) == [
            f"/forums/topic/{topic.slug}/unread/"
        ]

    def test_the_index_marks_forums_with_unread_topics_and_their_parents(
        self, client, erin, forum, make_forum, make_topic
    ):
        make_forum("Quiet", slug="quiet")
        child = make_forum("Deadlifts", slug="deadlifts", parent=forum)
        topic = make_topic(forum=child)
        page = client.get("/forums/").content.decode()
        rows = re.findall(r"<tr>.*?</tr>", page, flags=re.S)
        lifting = next(row for row in rows if 'href="/forums/forum/lifting/"' in row)
        quiet_row = next(row for row in rows if 'href="/forums/forum/quiet/"' in row)
        assert "New posts" in lifting
        assert "New posts" not in quiet_row
        client.get(topic.get_absolute_url())
        assert "New posts" not in client.get("/forums/").content.decode()

    def test_a_hidden_topic_does_not_make_its_forum_unread(self, client, erin, forum, make_topic):
        topic = make_topic(forum=forum)
        services.topic_set_status(topic=topic, status=Topic.Status.TRASH)
        assert "New posts" not in client.get("/forums/").content.decode()

    @pytest.mark.parametrize(
        "url",
        [
            "/topics/",
            "/forums/view/no-replies/",
            "/forums/view/popular/",
            "/forums/topic-tag/squats/",
            "/forums/users/alice/topics/",
            "/forums/users/alice/engagements/",
        ],
    )
    def test_every_topic_list_marks_unread_topics(
        self, client, erin, forum, make_topic, make_member, url
    ):
        topic = make_topic(forum=forum, author=make_member("alice"))
        topic_set_tags(topic=topic, names=["squats"])
        assert new_links(client.get(url)) == [f"/forums/topic/{topic.slug}/unread/"]

    def test_anonymous_readers_see_no_markers(self, client, forum, make_topic):
        make_topic(forum=forum)
        page = client.get("/forums/forum/lifting/").content.decode()
        assert "badge--new" not in page
        assert "Mark all" not in page


@pytest.mark.django_db
class TestApprovedPosts:
    """A held post is dated when it is approved (``forum.services.post_set_status``): new to
    every member, whatever they read while it waited."""

    def test_a_reply_approved_after_a_later_one_was_read_is_unread(
        self, client, erin, forum, make_topic, make_reply
    ):
        topic = make_topic(forum=forum)
        make_topic(forum=forum)  # left unread: the forum is not marked read
        held = make_reply(topic)
        services.post_set_status(post=held, status=Post.Status.PENDING)
        make_reply(topic)
        client.get(topic.get_absolute_url())
        services.post_set_status(post=held, status=Post.Status.PUBLISHED)
        assert f"/forums/topic/{topic.slug}/unread/" in new_links(
            client.get("/forums/forum/lifting/")
        )
        response = client.get(f"/forums/topic/{topic.slug}/unread/")
        assert response.url == f"/forums/topic/{topic.slug}/#post-{held.pk}"

    def test_a_topic_approved_after_the_forum_was_read_is_unread(
        self, client, erin, forum, make_topic
    ):
        held = make_topic(forum=forum, title="Held")
        services.post_set_status(post=held.first_post, status=Post.Status.PENDING)
        seen = make_topic(forum=forum, title="Seen")
        client.get(seen.get_absolute_url())  # the only topic shown: the forum is marked read
        services.post_set_status(
            post=Post.objects.get(pk=held.first_post_id), status=Post.Status.PUBLISHED
        )
        assert new_links(client.get("/forums/forum/lifting/")) == [
            f"/forums/topic/{held.slug}/unread/"
        ]


@pytest.mark.django_db
class TestJumpToFirstUnread:
    @pytest.fixture(autouse=True)
    def _short_pages(self, settings):
        settings.FORUM_POSTS_PER_PAGE = 3

    def test_it_goes_to_the_first_post_after_what_the_member_read(
        self, client, erin, forum, make_topic, make_reply
    ):
        topic = make_topic(forum=forum)
        make_reply(topic)
        client.get(topic.get_absolute_url())  # posts 1-2 read
        first_new = make_reply(topic)  # 3rd post, on page 1
        make_reply(topic)  # 4th, on page 2
        response = client.get(f"/forums/topic/{topic.slug}/unread/")
        assert response.status_code == 302
        assert response.url == f"/forums/topic/{topic.slug}/#post-{first_new.pk}"

    def test_reading_only_the_first_page_leaves_the_second_unread(
        self, client, erin, forum, make_topic, make_reply
    ):
        topic = make_topic(forum=forum)
        replies = [make_reply(topic) for _ in range(4)]  # 5 posts: 3 on page 1, 2 on page 2
        client.get(topic.get_absolute_url())
        assert new_links(client.get("/forums/forum/lifting/"))
        response = client.get(f"/forums/topic/{topic.slug}/unread/")
        assert response.url == f"/forums/topic/{topic.slug}/page/2/#post-{replies[2].pk}"
        client.get(f"/forums/topic/{topic.slug}/page/2/")
        assert new_links(client.get("/forums/forum/lifting/")) == []

    def test_a_topic_read_to_the_end_goes_to_its_last_post(
        self, client, erin, forum, make_topic, make_reply
    ):
        topic = make_topic(forum=forum)
        last = make_reply(topic)
        client.get(topic.get_absolute_url())
        response = client.get(f"/forums/topic/{topic.slug}/unread/")
        assert response.url == f"/forums/topic/{topic.slug}/#post-{last.pk}"

    def test_a_reader_not_logged_in_goes_to_the_topic(self, client, forum, make_topic):
        topic = make_topic(forum=forum)
        response = client.get(f"/forums/topic/{topic.slug}/unread/")
        assert response.url == topic.get_absolute_url()

    def test_a_hidden_topic_is_not_found(self, client, erin, forum, make_topic):
        topic = make_topic(forum=forum)
        services.topic_set_status(topic=topic, status=Topic.Status.TRASH)
        assert client.get(f"/forums/topic/{topic.slug}/unread/").status_code == 404


@pytest.mark.django_db
class TestMarkAllRead:
    def test_mark_a_forum_read(self, client, erin, forum, make_forum, make_topic):
        other = make_forum("Running", slug="running")
        make_topic(forum=forum)
        elsewhere = make_topic(forum=other)
        response = client.post("/forums/forum/lifting/read/", follow=True)
        assert "All topics in Lifting are marked as read." in text_of(response)
        assert new_links(client.get("/forums/forum/lifting/")) == []
        assert new_links(client.get("/topics/")) == [f"/forums/topic/{elsewhere.slug}/unread/"]

    def test_marking_a_forum_read_marks_the_forums_below_it(
        self, client, erin, forum, make_forum, make_topic
    ):
        child = make_forum("Deadlifts", slug="deadlifts", parent=forum)
        make_topic(forum=child)
        client.post("/forums/forum/lifting/read/")
        assert new_links(client.get("/forums/forum/deadlifts/")) == []

    def test_mark_everything_read(self, client, erin, forum, make_forum, make_topic):
        make_topic(forum=forum)
        make_topic(forum=make_forum("Running", slug="running"))
        response = client.post("/forums/read/", follow=True)
        assert "All topics are marked as read." in text_of(response)
        assert new_links(client.get("/topics/")) == []
        assert "New posts" not in client.get("/forums/").content.decode()

    def test_posts_after_the_mark_are_unread(self, client, erin, forum, make_topic, make_reply):
        topic = make_topic(forum=forum)
        client.post("/forums/read/")
        make_reply(topic)
        assert new_links(client.get("/forums/forum/lifting/")) == [
            f"/forums/topic/{topic.slug}/unread/"
        ]

    def test_marking_read_takes_a_post_from_a_member(self, client, forum):
        assert client.post("/forums/read/").status_code == 302
        assert not ReadMark.objects.exists()
        assert client.post("/forums/forum/lifting/read/").url.startswith("/accounts/login/")

    def test_a_get_marks_nothing(self, client, erin, forum):
        assert client.get("/forums/read/").status_code == 405
        assert client.get("/forums/forum/lifting/read/").status_code == 405
        assert not ReadMark.objects.exists()

    def test_an_unknown_forum_is_not_found(self, client, erin):
        assert client.post("/forums/forum/nowhere/read/").status_code == 404

    def test_the_buttons_are_on_the_index_and_forum_pages(self, client, erin, forum):
        assert "Mark all topics as read" in text_of(client.get("/forums/"))
        assert "Mark all as read in Lifting" in text_of(client.get("/forums/forum/lifting/"))


@pytest.mark.django_db
class TestWhatItKeeps:
    def test_reading_every_topic_of_a_forum_leaves_one_mark_and_no_rows(
        self, client, erin, forum, make_topic
    ):
        topics = [make_topic(forum=forum) for _ in range(5)]
        for topic in topics:
            client.get(topic.get_absolute_url())
        assert TopicRead.objects.filter(member=erin).count() == 0
        assert ReadMark.objects.filter(member=erin).count() == 1
        assert new_links(client.get("/forums/forum/lifting/")) == []

    def test_topics_read_out_of_order_keep_a_row_each_until_the_forum_is_read(
        self, client, erin, forum, make_topic
    ):
        topics = [make_topic(forum=forum) for _ in range(3)]
        client.get(topics[0].get_absolute_url())
        client.get(topics[1].get_absolute_url())
        assert TopicRead.objects.filter(member=erin).count() == 2
        client.get(topics[2].get_absolute_url())
        assert TopicRead.objects.filter(member=erin).count() == 0

    def test_two_tabs_writing_the_first_row_keep_the_further_read(
        self, erin, forum, make_topic, make_reply, monkeypatch
    ):
        topic = make_topic(forum=forum)
        make_topic(forum=forum)  # left unread: rows, not a forum mark
        replies = [make_reply(topic) for _ in range(3)]
        topic.refresh_from_db()
        # Both tabs found no row; the one that read further writes second.
        no_row_yet = reading_selectors.marks_and_reads(erin, [topic.pk])
        reading_services.topic_read_record(
            member=erin, topic=topic, read_through=replies[0].created_at
        )
        monkeypatch.setattr(reading_services, "marks_and_reads", lambda *args: no_row_yet)
        reading_services.topic_read_record(
            member=erin, topic=topic, read_through=replies[2].created_at
        )
        assert TopicRead.objects.get(member=erin, topic=topic).read_through == (
            replies[2].created_at
        )

    def test_past_the_topics_it_looks_at_reading_writes_a_row(
        self, client, erin, forum, make_topic, monkeypatch
    ):
        monkeypatch.setattr(reading_services, "FORUM_READ_CHECK_TOPICS", 2)
        topics = [make_topic(forum=forum) for _ in range(4)]
        for topic in topics[:3]:
            client.get(topic.get_absolute_url())
        assert TopicRead.objects.filter(member=erin).count() == 3  # 3 others active: no look
        client.get(topics[3].get_absolute_url())
        assert TopicRead.objects.filter(member=erin).count() == 4
        assert new_links(client.get("/forums/forum/lifting/")) == []

    def test_mark_all_read_deletes_the_rows(self, client, erin, forum, make_topic):
        topics = [make_topic(forum=forum) for _ in range(2)]
        client.get(topics[0].get_absolute_url())
        client.post("/forums/read/")
        assert TopicRead.objects.filter(member=erin).count() == 0
        assert list(ReadMark.objects.filter(member=erin).values_list("forum", flat=True)) == [None]

    def test_the_prune_command_deletes_what_is_older_than_the_window(
        self, client, erin, forum, make_topic, ago, settings
    ):
        settings.UNREAD_TRACKING_DAYS = 30
        topics = [make_topic(forum=forum) for _ in range(2)]
        client.get(topics[0].get_absolute_url())
        TopicRead.objects.update(read_through=ago(days=31))
        call_command("prune_read_marks", "--dry-run")
        assert TopicRead.objects.count() == 1
        call_command("prune_read_marks")
        assert TopicRead.objects.count() == 0


@pytest.mark.django_db
class TestWhatItCosts:
    def test_a_list_costs_one_query_for_its_markers_whatever_its_length(
        self, client, erin, forum, make_forum, make_topic, django_assert_num_queries
    ):
        short = make_forum("Short", slug="short")
        make_topic(forum=short)
        for _ in range(20):
            make_topic(forum=forum)
        # Session, member, forum, subforums, the topics stuck here from elsewhere, the page's
        # topics, subscribed?, and the markers.
        with django_assert_num_queries(8):
            client.get("/forums/forum/short/")
        with django_assert_num_queries(8):
            client.get("/forums/forum/lifting/")

    def test_the_index_costs_one_query_for_the_forums_markers(
        self, client, erin, forum, make_forum, make_topic, django_assert_num_queries
    ):
        for number in range(5):
            make_topic(forum=make_forum(f"Forum {number}", slug=f"forum-{number}"))
        # Session, member, the forums, and the markers.
        with django_assert_num_queries(4):
            client.get("/forums/")

    def test_old_lists_cost_nothing(
        self, client, forum, make_topic, make_member, django_assert_num_queries
    ):
        make_topic(forum=forum)
        client.force_login(make_member("newcomer"))
        with django_assert_num_queries(7):  # no marker query: nothing is newer than joining
            client.get("/forums/forum/lifting/")

    def test_reading_a_page_again_costs_one_query(
        self, client, erin, forum, make_topic, make_reply, django_assert_num_queries
    ):
        topic = make_topic(forum=forum)
        make_topic(forum=forum)  # left unread, so the forum is not marked read
        make_reply(topic)
        client.get(topic.get_absolute_url())
        # Session, member, topic, posts, the member's marks, and how far they have read.
        with django_assert_num_queries(6):
            client.get(topic.get_absolute_url())

    def test_reading_a_topic_older_than_joining_costs_nothing(
        self, client, forum, make_topic, make_member, django_assert_num_queries
    ):
        topic = make_topic(forum=forum)
        client.force_login(make_member("newcomer"))
        # Session, member, topic, posts, and the member's marks (subscribed? favorite?).
        with django_assert_num_queries(5):
            client.get(topic.get_absolute_url())

    def test_reading_a_new_page_writes_how_far(
        self, client, erin, forum, make_topic, django_assert_num_queries
    ):
        topics = [make_topic(forum=forum) for _ in range(2)]
        # The five above, how far the member has read, the forum's other topics active since
        # its mark and whether they are read (one is not), and the topic's row: written, and
        # moved on should another tab have written it first.
        with django_assert_num_queries(10):
            client.get(topics[0].get_absolute_url())
        assert TopicRead.objects.filter(member=erin, topic=topics[0]).exists()

    def test_anonymous_pages_ask_nothing_of_unread_tracking(self, client, forum, make_topic):
        topic = make_topic(forum=forum)
        for url in ["/forums/", "/forums/forum/lifting/", topic.get_absolute_url(), "/topics/"]:
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            assert not any("reading_" in query["sql"] for query in queries), url
