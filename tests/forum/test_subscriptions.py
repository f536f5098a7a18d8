"""Subscribe, Favorite, reply notifications by email (written by the notifications room), and
the unsubscribe link."""

import re
import uuid

import pytest
from django.core import mail

from forum.models import Post, TopicFavorite, TopicSubscription
from tests.conftest import GUIDE_SLUG
from tests.pages import text_of

GUIDE_URL = f"/forums/topic/{GUIDE_SLUG}/"


def reply(client, body: str = "New reply.", **extra):
    data = {"body": body, "token": str(uuid.uuid4()), "action": "post", **extra}
    return client.post(f"{GUIDE_URL}reply/", data)


@pytest.fixture(autouse=True)
def _no_flood_wait(settings):
    settings.FORUM_FLOOD_SECONDS = 0


@pytest.mark.django_db
class TestSubscribeAndFavorite:
    def test_subscribe_and_favorite_links_toggle_for_members(
        self, client, make_member, guide_topic
    ):
        member = make_member("erin")
        client.force_login(member)
        page = text_of(client.get(GUIDE_URL))
        assert "Subscribe | Favorite" in page
        client.post(f"{GUIDE_URL}subscription/", {"subscribe": "1"})
        client.post(f"{GUIDE_URL}favorite/", {"favorite": "1"})
        assert TopicSubscription.objects.filter(member=member, topic=guide_topic).exists()
        assert TopicFavorite.objects.filter(member=member, topic=guide_topic).exists()
        assert "Unsubscribe | Unfavorite" in text_of(client.get(GUIDE_URL))
        client.post(f"{GUIDE_URL}subscription/", {"subscribe": "0"})
        client.post(f"{GUIDE_URL}favorite/", {"favorite": "0"})
        assert not TopicSubscription.objects.exists()
        assert not TopicFavorite.objects.exists()

    def test_toggles_refuse_get(self, client, make_member):
        client.force_login(make_member())
        assert client.get(f"{GUIDE_URL}subscription/").status_code == 405
        assert client.get(f"{GUIDE_URL}favorite/").status_code == 405

    def test_anonymous_readers_see_no_toggles(self, client, guide_topic):
        assert "Subscribe" not in text_of(client.get(GUIDE_URL))

    def test_unticking_notify_on_a_reply_unsubscribes(self, client, make_member, guide_topic):
        member = make_member()
        client.force_login(member)
        reply(client, "First.", notify="on")
        assert guide_topic.subscriptions.filter(member=member).exists()
        html = client.get(GUIDE_URL).content.decode()
        assert re.search(r'<input type="checkbox" name="notify"[^>]* checked', html)
        reply(client, "Second.")
        assert not guide_topic.subscriptions.filter(member=member).exists()


@pytest.mark.django_db
class TestReplyNotifications:
    def test_subscribers_get_one_email_per_reply_after_commit(
        self, client, make_member, guide_topic, django_capture_on_commit_callbacks
    ):
        follower = make_member("follower")
        TopicSubscription.objects.create(member=follower, topic=guide_topic)
        author = make_member("writer", display_name="Writer")
        TopicSubscription.objects.create(member=author, topic=guide_topic)
        client.force_login(author)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            reply(client, "Hips *drive* it.")
        assert mail.outbox == []  # nothing before the transaction commits
        # The commit: the notifications room tells the follower, and queues the email once
        # that commits in turn.
        with django_capture_on_commit_callbacks(execute=True):
            for callback in callbacks:
                callback()
        assert len(mail.outbox) == 1
        email = mail.outbox[0]
        assert email.to == ["follower@example.com"]
        assert email.subject == "[Community Forums] Reply to: Do Hip Thrusts Work the Lower Back?"
        assert "Writer wrote in" in email.body
        assert "Hips *drive* it." in email.body
        post_url = re.search(r"Read the reply: (\S+)", email.body).group(1)
        assert post_url.startswith("http://testserver/forums/reply/")
        assert email.extra_headers["List-Unsubscribe"].startswith("<http://testserver/")

    def test_a_refused_reply_emails_nobody(
        self, client, make_member, guide_topic, django_capture_on_commit_callbacks
    ):
        TopicSubscription.objects.create(member=make_member(), topic=guide_topic)
        client.force_login(make_member(role="blocked"))
        with django_capture_on_commit_callbacks(execute=True):
            reply(client)
        assert mail.outbox == []

    def test_the_unsubscribe_link_works_without_logging_in(
        self, client, make_member, guide_topic, django_capture_on_commit_callbacks
    ):
        follower = make_member("follower")
        TopicSubscription.objects.create(member=follower, topic=guide_topic)
        client.force_login(make_member())
        with django_capture_on_commit_callbacks(execute=True):
            reply(client)
        client.logout()
        link = re.search(
            r"Unsubscribe from this topic: http://testserver(\S+)", mail.outbox[0].body
        )
        url = link.group(1)
        page = client.get(url)
        assert page.status_code == 200
        assert TopicSubscription.objects.filter(member=follower).exists()  # GET writes nothing
        assert "Unsubscribe" in text_of(page)
        done = client.post(url)
        assert "gets no more emails" in text_of(done)
        assert not TopicSubscription.objects.filter(member=follower).exists()

    def test_a_tampered_unsubscribe_link_is_refused(self, client, make_member, guide_topic):
        follower = make_member()
        TopicSubscription.objects.create(member=follower, topic=guide_topic)
        response = client.post("/forums/unsubscribe/not-a-real-token/")
        assert response.status_code == 400
        assert TopicSubscription.objects.filter(member=follower).exists()


@pytest.mark.django_db
class TestNotificationsOnApproval:
    """A held reply's subscribers hear of it when a moderator approves it, not before; a reply
    restored from spam or trash was announced when first published and is not again."""

    @pytest.fixture
    def held_reply(self, client, make_member, guide_topic, settings):
        settings.FORUM_APPROVE_FIRST_POSTS = 1
        TopicSubscription.objects.create(member=make_member("follower"), topic=guide_topic)
        client.force_login(make_member("newcomer", display_name="Newcomer"))
        reply(client, "Held for now.")
        return Post.objects.get(body="Held for now.", status=Post.Status.PENDING)

    def test_approving_a_held_reply_on_the_page_emails_the_subscribers(
        self, client, make_member, held_reply, django_capture_on_commit_callbacks
    ):
        assert mail.outbox == []
        client.force_login(make_member(role="moderator", is_staff=True))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/forums/reply/{held_reply.pk}/moderate/approve/")
        assert response.status_code == 302
        (email,) = [email for email in mail.outbox if email.to != ["newcomer@example.com"]]
        assert email.to == ["follower@example.com"]
        assert email.subject == "[Community Forums] Reply to: Do Hip Thrusts Work the Lower Back?"
        assert "Held for now." in email.body

    def test_publishing_a_held_reply_in_the_admin_emails_the_subscribers(
        self, client, make_member, held_reply, django_capture_on_commit_callbacks
    ):
        client.force_login(make_member(is_staff=True, is_superuser=True))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/admin/forum/post/", {"action": "publish", "_selected_action": [held_reply.pk]}
            )
        assert sorted(email.to for email in mail.outbox) == [
            ["follower@example.com"],
            ["newcomer@example.com"],  # "your post was approved"
        ]

    @pytest.mark.parametrize("hidden_as", ["spam", "trash"])
    def test_restoring_a_reply_emails_nobody(
        self,
        client,
        make_member,
        make_reply,
        guide_topic,
        hidden_as,
        django_capture_on_commit_callbacks,
    ):
        TopicSubscription.objects.create(member=make_member("follower"), topic=guide_topic)
        hidden = make_reply(guide_topic, body="Hidden, then restored.")
        client.force_login(make_member(role="moderator", is_staff=True))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/forums/reply/{hidden.pk}/moderate/{hidden_as}/")
            client.post(f"/forums/reply/{hidden.pk}/moderate/approve/")
        assert Post.objects.get(pk=hidden.pk).status == Post.Status.PUBLISHED
        assert mail.outbox == []

    def test_approving_an_opening_post_emails_no_topic_subscriber(
        self, client, make_member, settings, make_forum, django_capture_on_commit_callbacks
    ):
        settings.FORUM_APPROVE_FIRST_POSTS = 1
        forum = make_forum()
        client.force_login(make_member("newcomer"))
        client.post(
            f"/forums/forum/{forum.slug}/new/",
            {"title": "Held topic", "body": "Words.", "token": str(uuid.uuid4()),
             "action": "post", "notify": "on"},
        )  # fmt: skip
        opening = Post.objects.get(body="Words.", status=Post.Status.PENDING)
        TopicSubscription.objects.create(member=make_member("follower"), topic=opening.topic)
        client.force_login(make_member(role="moderator", is_staff=True))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/forums/reply/{opening.pk}/moderate/approve/")
        assert Post.objects.get(pk=opening.pk).status == Post.Status.PUBLISHED
        assert [email.to for email in mail.outbox] == [["newcomer@example.com"]]  # approved


@pytest.mark.django_db
class TestMemberTopicLists:
    def test_favorites_are_listed_publicly_and_paginated(
        self, client, make_member, make_topic, settings, django_assert_num_queries
    ):
        settings.FORUM_TOPICS_PER_PAGE = 2
        member = make_member("erin")
        for title in ("Alpha", "Bravo", "Charlie"):
            TopicFavorite.objects.create(member=member, topic=make_topic(title=title))
        make_topic(title="Not a favorite")
        with django_assert_num_queries(3):  # member, count, topics
            first = client.get("/forums/users/erin/favorites/")
        assert "Favorite Forum Topics" in text_of(first)
        assert "Viewing 2 topics - 1 through 2 (of 3 total)" in text_of(first)
        second = text_of(client.get("/forums/users/erin/favorites/page/2/"))
        assert "Alpha" in second
        assert "Not a favorite" not in second
        assert client.get("/forums/users/erin/favorites/page/1/").status_code == 301
        assert client.get("/forums/users/erin/favorites/page/3/").status_code == 404

    def test_subscriptions_are_for_the_member_only(self, client, make_member, guide_topic):
        member = make_member("erin")
        TopicSubscription.objects.create(member=member, topic=guide_topic)
        url = "/forums/users/erin/subscriptions/"
        assert client.get(url)["Location"] == f"/accounts/login/?next={url}"
        client.force_login(make_member("frank"))
        assert client.get(url).status_code == 404
        client.force_login(member)
        assert "Do Hip Thrusts Work the Lower Back?" in text_of(client.get(url))

    def test_hidden_topics_are_not_listed(self, client, make_member, make_topic):
        member = make_member("erin")
        topic = make_topic(title="Gone to spam")
        TopicFavorite.objects.create(member=member, topic=topic)
        topic.status = "spam"
        topic.save(update_fields=["status"])
        assert "Gone to spam" not in text_of(client.get("/forums/users/erin/favorites/"))
