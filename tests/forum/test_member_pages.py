"""A member's pages as bbPress has them: profile, topics, replies, engagements; paginated."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import services
from forum.models import Topic
from tests.pages import text_of


@pytest.fixture
def erin_with_posts(make_member, make_topic, make_reply):
    erin = make_member("erin", display_name="Erin")
    own = make_topic(title="Erin's own topic", author=erin)
    elsewhere = make_topic(title="Someone else's topic")
    for number in range(3):
        make_reply(elsewhere, author=erin, body=f"Reply number {number}")
    make_topic(title="Untouched topic")
    return erin, own, elsewhere


@pytest.mark.django_db
class TestMemberPages:
    def test_profile_shows_role_counts_and_last_activity(self, client, erin_with_posts):
        text = text_of(client.get("/forums/users/erin/"))
        assert "Forum Role Participant" in text
        assert "Topics Started 1" in text
        assert "Replies Created 3" in text
        assert "Last Activity right now" in text

    def test_tabs_mark_the_current_page(self, client, erin_with_posts):
        html = client.get("/forums/users/erin/engagements/").content.decode()
        assert '<a href="/forums/users/erin/engagements/" aria-current="page">' in html
        assert "/forums/users/erin/subscriptions/" not in html  # not for other readers

    def test_topics_started_lists_only_their_topics(self, client, erin_with_posts):
        text = text_of(client.get("/forums/users/erin/topics/"))
        assert "Erin's own topic" in text
        assert "Someone else's topic" not in text

    def test_engagements_list_topics_they_posted_in(self, client, erin_with_posts):
        text = text_of(client.get("/forums/users/erin/engagements/"))
        assert "Erin's own topic" in text
        assert "Someone else's topic" in text
        assert "Untouched topic" not in text
        assert "Viewing 2 topics - 1 through 2 (of 2 total)" in text

    def test_replies_are_paginated(self, client, erin_with_posts, settings):
        settings.FORUM_POSTS_PER_PAGE = 2
        first = text_of(client.get("/forums/users/erin/replies/"))
        assert "Viewing 2 replies - 1 through 2 (of 3 total)" in first
        assert "Reply number 2" in first
        last = text_of(client.get("/forums/users/erin/replies/page/2/"))
        assert "Reply number 0" in last
        assert client.get("/forums/users/erin/replies/page/1/").status_code == 301
        assert client.get("/forums/users/erin/replies/page/3/").status_code == 404

    def test_hidden_topics_are_not_listed(self, client, erin_with_posts):
        _, own, elsewhere = erin_with_posts
        services.topic_set_status(topic=own, status=Topic.Status.SPAM)
        services.topic_set_status(topic=elsewhere, status=Topic.Status.TRASH)
        for url in ("topics", "engagements", "replies"):
            text = text_of(client.get(f"/forums/users/erin/{url}/"))
            assert "Erin's own topic" not in text
            assert "Someone else's topic" not in text

    @pytest.mark.parametrize(
        ("url", "queries"),
        # the member, the items; Engagements counts its list too (no counter)
        [("topics", 2), ("replies", 2), ("engagements", 3)],
    )
    def test_each_list_has_a_fixed_query_count(
        self,
        client,
        erin_with_posts,
        make_reply,
        url,
        queries,
        django_assert_num_queries,
        django_capture_on_commit_callbacks,
    ):
        with django_assert_num_queries(queries):
            client.get(f"/forums/users/erin/{url}/")
        _, _, elsewhere = erin_with_posts
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(5):
                make_reply(elsewhere, author=erin_with_posts[0])
        with django_assert_num_queries(queries):
            client.get(f"/forums/users/erin/{url}/")


@pytest.mark.django_db
class TestProfile:
    def test_bio_website_and_registered_show(self, client, make_member):
        make_member("fay", bio="Lifts.\nCoaches <b>too</b>.", website="https://fay.example/")
        response = client.get("/forums/users/fay/")
        html = response.content.decode()
        assert "<p>Lifts.<br>Coaches &lt;b&gt;too&lt;/b&gt;.</p>" in html
        assert '<a href="https://fay.example/" rel="nofollow ugc noopener noreferrer">' in html
        assert "@fay" in text_of(response)
        assert "Registered " in text_of(response)

    def test_a_member_who_never_posted_was_never_active(self, client, make_member):
        make_member("quiet")
        text = text_of(client.get("/forums/users/quiet/"))
        assert "Last Activity Never" in text
        assert "Topics Started 0" in text

    def test_last_activity_is_the_latest_post(
        self, client, make_member, make_topic, make_reply, ago
    ):
        fay = make_member("fay")
        topic = make_topic(author=fay, created_at=ago(days=10))
        make_reply(topic, author=fay, created_at=ago(days=2, hours=3))
        assert "Last Activity 2 days, 3 hours ago" in text_of(client.get("/forums/users/fay/"))


@pytest.mark.django_db
class TestLists:
    def test_thirty_replies_make_two_pages(self, client, make_member, make_topic, make_reply):
        erin = make_member("erin")
        topic = make_topic()
        for number in range(30):
            make_reply(topic, author=erin, body=f"Reply {number:02d}")
        first = text_of(client.get("/forums/users/erin/replies/"))
        assert "Viewing 25 replies - 1 through 25 (of 30 total)" in first
        assert "Reply 29" in first
        assert "Reply 04" not in first
        last = text_of(client.get("/forums/users/erin/replies/page/2/"))
        assert "Viewing 5 replies - 26 through 30 (of 30 total)" in last
        assert "Reply 04" in last

    @pytest.mark.parametrize("url", ["topics", "engagements"])
    def test_topic_lists_are_paginated(self, client, settings, make_member, make_topic, url):
        settings.FORUM_TOPICS_PER_PAGE = 2
        erin = make_member("erin")
        for number in range(3):
            make_topic(author=erin, title=f"Topic number {number}")
        first = text_of(client.get(f"/forums/users/erin/{url}/"))
        assert "Viewing 2 topics - 1 through 2 (of 3 total)" in first
        assert "Topic number 0" in text_of(client.get(f"/forums/users/erin/{url}/page/2/"))
        response = client.get(f"/forums/users/erin/{url}/page/1/")
        assert response.status_code == 301
        assert response["Location"] == f"/forums/users/erin/{url}/"
        assert client.get(f"/forums/users/erin/{url}/page/3/").status_code == 404

    def test_an_empty_list_says_so(self, client, make_member):
        make_member("quiet")
        assert "No replies were found here." in text_of(client.get("/forums/users/quiet/replies/"))
        assert client.get("/forums/users/quiet/replies/page/2/").status_code == 404

    def test_engagements_put_the_most_recently_active_first(
        self, client, make_member, make_topic, make_reply, ago
    ):
        erin = make_member("erin")
        older = make_topic(title="Older topic", created_at=ago(days=3))
        newer = make_topic(title="Newer topic", created_at=ago(days=2))
        make_reply(newer, author=erin, created_at=ago(days=1))
        make_reply(older, author=erin, created_at=ago(hours=1))
        text = text_of(client.get("/forums/users/erin/engagements/"))
        assert text.index("Older topic") < text.index("Newer topic")

    def test_pending_topics_are_not_listed(self, client, erin_with_posts):
        _, own, _ = erin_with_posts
        services.topic_set_status(topic=own, status=Topic.Status.PENDING)
        assert "Erin's own topic" not in text_of(client.get("/forums/users/erin/topics/"))
        assert "Erin's own topic" not in text_of(client.get("/forums/users/erin/engagements/"))
        assert "Topics Started 0" in text_of(client.get("/forums/users/erin/"))

    def test_the_profile_tab_is_current_on_the_profile(self, client, erin_with_posts):
        html = client.get("/forums/users/erin/").content.decode()
        assert '<nav class="member-nav" aria-label="Erin’s pages">' in html
        assert '<a href="/forums/users/erin/" aria-current="page">Profile</a>' in html


@pytest.mark.django_db
class TestWhatReadingCosts:
    @pytest.mark.parametrize("url", ["", "topics/", "replies/", "engagements/"])
    def test_anonymous_gets_set_no_cookie_and_write_nothing(self, client, erin_with_posts, url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/forums/users/erin/{url}")
        assert response.status_code == 200
        assert not response.cookies
        assert all(query["sql"].lstrip().upper().startswith("SELECT") for query in queries)

    @pytest.mark.parametrize(
        ("url", "queries"),
        [("", 5), ("topics/", 5), ("replies/", 4), ("engagements/", 6), ("subscriptions/", 5)],
    )
    def test_a_member_reading_their_own_pages_costs_two_more_queries(
        self, client, erin_with_posts, url, queries, django_assert_num_queries
    ):
        client.force_login(erin_with_posts[0])
        # The session and the member, then the page's; a topic list with topics newer than
        # the member's joining one more, its unread markers (reading.selectors).
        with django_assert_num_queries(queries):
            client.get(f"/forums/users/erin/{url}")
