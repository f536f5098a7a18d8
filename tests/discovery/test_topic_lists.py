"""The topic lists across forums: latest topics (``/topics/``) and the views, popular and no
replies, as a reader finds them."""

import re

import pytest

from forum import services
from forum.models import Topic
from tests.pages import text_of


def titles(response) -> list[str]:
    return re.findall(r'class="topic-title" href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.fixture
def forums(make_forum):
    return make_forum("Lifting", slug="lifting"), make_forum("Running", slug="running")


@pytest.mark.django_db
class TestLatestTopics:
    def test_lists_every_forums_topics_latest_active_first(
        self, client, forums, make_topic, make_reply, ago
    ):
        lifting, running = forums
        make_topic(forum=lifting, title="Old lift", created_at=ago(days=3))
        talked = make_topic(forum=running, title="Old run", created_at=ago(days=2))
        make_topic(forum=lifting, title="New lift", created_at=ago(days=1))
        make_reply(talked, body="Still here.")
        response = client.get("/topics/")
        assert response.status_code == 200
        listed = titles(response)
        assert listed[:3] == ["Old run", "New lift", "Old lift"]
        assert "in: Running" in text_of(response)

    def test_super_stickies_start_the_first_page_and_other_stickies_do_not(
        self, client, settings, forums, make_topic, ago
    ):
        settings.FORUM_TOPICS_PER_PAGE = 2
        lifting, running = forums
        sticky = make_topic(forum=lifting, title="Forum sticky", created_at=ago(days=9))
        services.topic_set_pin(topic=sticky, pin=Topic.Pin.STICKY)
        stuck = make_topic(forum=running, title="Super sticky", created_at=ago(days=8))
        services.topic_set_pin(topic=stuck, pin=Topic.Pin.SUPER_STICKY)
        for n in range(3):
            make_topic(forum=lifting, title=f"Plain {n}", created_at=ago(days=5 - n))
        first = titles(client.get("/topics/"))
        assert first[0] == "Super sticky"
        assert first[1:] == ["Plain 2", "Plain 1"]
        assert "Super sticky" not in titles(client.get("/topics/page/2/"))
        rest = titles(client.get("/topics/page/2/")) + titles(client.get("/topics/page/3/"))
        # In order like any topic outside its own forum (then the seeded guide, from 2023).
        assert rest[:2] == ["Plain 0", "Forum sticky"]

    def test_hidden_topics_are_not_listed(self, client, forums, make_topic):
        make_topic(forum=forums[0], title="Shown")
        hidden = make_topic(forum=forums[0], title="Spammy")
        services.topic_set_status(topic=hidden, status=Topic.Status.SPAM)
        assert "Spammy" not in titles(client.get("/topics/"))

    def test_paginated_with_the_bbpress_count(self, client, settings, forums, make_topic):
        settings.FORUM_TOPICS_PER_PAGE = 2
        for n in range(3):
            make_topic(forum=forums[0], title=f"T{n}")
        # The seeded guide's topic is listed too.
        page = text_of(client.get("/topics/"))
        assert "Viewing 2 topics - 1 through 2 (of 4 total)" in page
        assert client.get("/topics/page/2/").status_code == 200
        assert client.get("/topics/page/3/").status_code == 404
        response = client.get("/topics/page/1/")
        assert response.status_code == 301 and response["Location"] == "/topics/"

    def test_the_index_links_to_the_lists(self, client, guide_topic):
        html = client.get("/forums/").content.decode()
        for url in ["/topics/", "/forums/view/popular/", "/forums/view/no-replies/"]:
            assert f'href="{url}"' in html

    def test_query_count_does_not_grow_with_the_page(
        self, client, settings, forums, make_topic, make_reply, django_assert_num_queries
    ):
        settings.FORUM_PAGE_CACHE_SECONDS = 0
        make_topic(forum=forums[0])
        with django_assert_num_queries(3):  # the total, the super stickies, the page
            client.get("/topics/")
        for _ in range(30):
            make_reply(make_topic(forum=forums[1]))
        with django_assert_num_queries(3):
            response = client.get("/topics/page/2/")
        assert len(titles(response)) == 7

    def test_anonymous_pages_are_cached_and_set_no_cookie(
        self, client, guide_topic, django_assert_num_queries
    ):
        first = client.get("/topics/")
        assert not first.cookies
        with django_assert_num_queries(0):
            assert client.get("/topics/").status_code == 200


@pytest.mark.django_db
class TestViews:
    def test_popular_lists_the_most_replied_first(self, client, forums, make_topic, make_reply):
        quiet = make_topic(forum=forums[0], title="Quiet")
        busy = make_topic(forum=forums[1], title="Busy")
        for _ in range(3):
            make_reply(busy)
        make_reply(quiet)
        listed = titles(client.get("/forums/view/popular/"))
        assert listed.index("Busy") < listed.index("Quiet")
        assert listed[0] == "Busy"

    def test_no_replies_lists_only_unanswered_topics(self, client, forums, make_topic, make_reply):
        answered = make_topic(forum=forums[0], title="Answered")
        make_reply(answered)
        make_topic(forum=forums[1], title="Unanswered")
        response = client.get("/forums/view/no-replies/")
        listed = titles(response)
        assert "Unanswered" in listed and "Answered" not in listed
        assert "Topics with no replies" in text_of(response)

    def test_a_held_reply_does_not_count_as_an_answer(self, client, forums, make_topic, make_reply):
        topic = make_topic(forum=forums[0], title="Waiting")
        reply = make_reply(topic)
        services.post_set_status(post=reply, status="pending")
        assert "Waiting" in titles(client.get("/forums/view/no-replies/"))

    def test_unknown_view_is_not_found(self, client):
        assert client.get("/forums/view/nonsense/").status_code == 404

    def test_views_are_paginated(self, client, settings, forums, make_topic):
        settings.FORUM_TOPICS_PER_PAGE = 2
        for n in range(3):
            make_topic(forum=forums[0], title=f"T{n}")
        page = text_of(client.get("/forums/view/no-replies/"))
        assert "(of 4 total)" in page  # with the guide, which has no replies
        assert client.get("/forums/view/no-replies/page/2/").status_code == 200
        assert client.get("/forums/view/popular/page/3/").status_code == 404

    @pytest.mark.parametrize("view", ["popular", "no-replies"])
    def test_query_count_is_fixed(
        self, client, settings, view, forums, make_topic, django_assert_num_queries
    ):
        settings.FORUM_PAGE_CACHE_SECONDS = 0
        make_topic(forum=forums[0])
        with django_assert_num_queries(2):  # the total, the page
            client.get(f"/forums/view/{view}/")
        for _ in range(30):
            make_topic(forum=forums[1])
        with django_assert_num_queries(2):
            client.get(f"/forums/view/{view}/page/2/")
