"""A member's pages as bbPress has them: profile, topics, replies, engagements; paginated."""

import pytest

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
        own.status = "spam"
        own.save(update_fields=["status"])
        elsewhere.status = "trash"
        elsewhere.save(update_fields=["status"])
        for url in ("topics", "engagements", "replies"):
            text = text_of(client.get(f"/forums/users/erin/{url}/"))
            assert "Erin's own topic" not in text
            assert "Someone else's topic" not in text

    @pytest.mark.parametrize("url", ["topics", "replies", "engagements"])
    def test_each_list_has_a_fixed_query_count(
        self, client, erin_with_posts, make_reply, url, django_assert_num_queries
    ):
        # member, count, items
        with django_assert_num_queries(3):
            client.get(f"/forums/users/erin/{url}/")
        _, _, elsewhere = erin_with_posts
        for _ in range(5):
            make_reply(elsewhere, author=erin_with_posts[0])
        with django_assert_num_queries(3):
            client.get(f"/forums/users/erin/{url}/")
