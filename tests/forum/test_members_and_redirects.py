"""Member pages and the ``/forums/reply/<id>/`` permalink redirect."""

import pytest

from forum.models import Post
from tests.pages import text_of


@pytest.mark.django_db
class TestPostRedirect:
    def test_seeded_post_redirects_to_the_topic(self, client, guide_topic):
        response = client.get("/forums/reply/6700/")
        assert response.status_code == 302
        assert response["Location"] == "/forums/topic/do-hip-thrusts-work-the-lower-back/#post-6700"

    def test_reply_on_a_later_page_redirects_to_that_page(
        self, client, settings, make_topic, make_reply, ago
    ):
        settings.FORUM_POSTS_PER_PAGE = 3
        topic = make_topic(created_at=ago(hours=2))
        replies = [make_reply(topic, created_at=ago(minutes=m)) for m in range(60, 54, -1)]
        target = replies[3]  # the 5th post: page 2
        response = client.get(f"/forums/reply/{target.pk}/")
        assert response["Location"] == f"{topic.get_absolute_url()}page/2/#post-{target.pk}"
        followed = client.get(response["Location"])
        assert f'id="post-{target.pk}"' in followed.content.decode()

    def test_unknown_or_hidden_posts_are_not_found(self, client, make_topic, make_reply):
        topic = make_topic()
        reply = make_reply(topic)
        Post.objects.filter(pk=reply.pk).update(status=Post.Status.SPAM)
        assert client.get(f"/forums/reply/{reply.pk}/").status_code == 404
        assert client.get("/forums/reply/999999/").status_code == 404


@pytest.mark.django_db
class TestMemberPage:
    def test_shows_role_topics_and_replies(self, client, make_member, make_topic, make_reply):
        member = make_member("fay", display_name="Fay F.")
        own = make_topic(author=member, title="My first topic")
        other = make_topic(title="Someone else's topic")
        make_reply(other, author=member)
        make_reply(own, author=member)
        response = client.get("/forums/users/fay/")
        text = text_of(response)
        assert response.status_code == 200
        assert "<h1>Fay F.</h1>" in response.content.decode()
        assert "Forum Role Participant" in text
        assert "Topics Started 1" in text
        assert "Replies Created 2" in text
        assert "My first topic" in text
        assert "Reply to: Someone else's topic" in text

    def test_admin_is_a_keymaster_with_the_guide(self, client, guide_topic):
        text = text_of(client.get("/forums/users/admin/"))
        assert "Forum Role Keymaster" in text
        assert "Do Hip Thrusts Work the Lower Back?" in text
        assert "Replies Created 0" in text

    def test_unknown_member_is_not_found(self, client, db):
        assert client.get("/forums/users/nobody/").status_code == 404

    def test_query_count_is_fixed(
        self,
        client,
        make_member,
        make_topic,
        make_reply,
        django_assert_num_queries,
        django_capture_on_commit_callbacks,
    ):
        member = make_member("gus")
        # the member, their recent topics and replies: the counts are the member's counters
        with django_assert_num_queries(3):
            client.get("/forums/users/gus/")
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(4):
                make_reply(make_topic(author=member), author=member)
        with django_assert_num_queries(3):
            client.get("/forums/users/gus/")
