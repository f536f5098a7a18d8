"""Following a forum, as in bbPress: Subscribe on its page, listed on the member's
Subscriptions page, and each new topic in it told in the member's inbox."""

import uuid

import pytest

from forum import services
from forum.models import ForumSubscription, Post
from notifications.models import Notification
from tests.pages import text_of


@pytest.fixture(autouse=True)
def _no_flood_wait(settings):
    settings.FORUM_FLOOD_SECONDS = 0


@pytest.fixture
def forum(make_forum):
    return make_forum("Lifting", slug="lifting")


@pytest.fixture
def erin(client, make_member):
    erin = make_member("erin")
    client.force_login(erin)
    return erin


def start_topic(forum, author, title="Squat depth"):
    return services.topic_submit(
        forum=forum, author=author, title=title, body="How deep?", idempotency_token=uuid.uuid4()
    )


@pytest.mark.django_db
class TestForumSubscriptions:
    def test_subscribe_and_unsubscribe_from_the_forum_page(self, client, erin, forum):
        page = client.get("/forums/forum/lifting/").content.decode()
        assert 'action="/forums/forum/lifting/subscription/"' in page
        response = client.post("/forums/forum/lifting/subscription/", {"subscribe": "1"})
        assert response.status_code == 302 and response["Location"] == "/forums/forum/lifting/"
        assert ForumSubscription.objects.filter(member=erin, forum=forum).exists()
        assert "Unsubscribe" in text_of(client.get("/forums/forum/lifting/"))
        client.post("/forums/forum/lifting/subscription/", {"subscribe": "0"})
        assert not ForumSubscription.objects.exists()

    def test_readers_are_sent_to_log_in_and_nothing_changes(self, client, forum):
        response = client.post("/forums/forum/lifting/subscription/", {"subscribe": "1"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert not ForumSubscription.objects.exists()
        assert "subscription/" not in client.get("/forums/forum/lifting/").content.decode()

    def test_a_get_changes_nothing(self, client, erin, forum):
        assert client.get("/forums/forum/lifting/subscription/?subscribe=1").status_code == 405

    def test_followed_forums_are_listed_on_the_subscriptions_page(self, client, erin, forum):
        services.forum_subscription_set(member=erin, forum=forum, subscribed=True)
        page = text_of(client.get("/forums/users/erin/subscriptions/"))
        assert "Forums Lifting Topics" in page

    def test_a_new_topic_tells_the_forums_followers(
        self, client, erin, forum, make_member, django_capture_on_commit_callbacks
    ):
        services.forum_subscription_set(member=erin, forum=forum, subscribed=True)
        with django_capture_on_commit_callbacks(execute=True):
            topic = start_topic(forum, make_member("ann", display_name="Ann"))
        notification = Notification.objects.get(recipient=erin)
        assert (notification.kind, notification.post_id) == ("topic", topic.first_post_id)
        assert "Ann started Squat depth" in text_of(client.get("/notifications/"))

    def test_the_author_is_not_told_of_their_own_topic(
        self, erin, forum, django_capture_on_commit_callbacks
    ):
        services.forum_subscription_set(member=erin, forum=forum, subscribed=True)
        with django_capture_on_commit_callbacks(execute=True):
            start_topic(forum, erin)
        assert not Notification.objects.filter(kind="topic").exists()

    def test_a_held_topic_is_told_when_approved(
        self, erin, forum, make_member, settings, django_capture_on_commit_callbacks
    ):
        settings.FORUM_APPROVE_FIRST_POSTS = 1
        services.forum_subscription_set(member=erin, forum=forum, subscribed=True)
        with django_capture_on_commit_callbacks(execute=True):
            topic = start_topic(forum, make_member("newbie"))
        assert not Notification.objects.filter(recipient=erin).exists()
        with django_capture_on_commit_callbacks(execute=True):
            services.post_set_status(
                post=Post.objects.get(pk=topic.first_post_id), status=Post.Status.PUBLISHED
            )
        assert Notification.objects.get(recipient=erin).kind == "topic"

    def test_a_members_forum_page_costs_one_more_query(
        self, client, erin, forum, django_assert_num_queries
    ):
        # The session and the member, the forum, its subforums, its (empty) page of topics,
        # and whether erin follows it.
        with django_assert_num_queries(6):
            client.get("/forums/forum/lifting/")
