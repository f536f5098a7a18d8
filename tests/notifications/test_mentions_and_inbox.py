"""A member is mentioned, sees the count in the header, reads the inbox and marks it read;
moderation outcomes reach the author. Through the real forms and pages."""

import re
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from accounts.services import member_set_role
from forum import services
from forum.models import Post
from notifications.models import Notification
from notifications.services import unread_counts_repair
from tests.pages import text_of


def reply_data(body: str) -> dict:
    return {"body": body, "token": str(uuid.uuid4()), "action": "post"}


@pytest.fixture(autouse=True)
def _no_flood_wait(settings):
    settings.FORUM_FLOOD_SECONDS = 0


@pytest.fixture
def topic(make_topic):
    return make_topic(title="Squat depth")


def reply_as(client, member, topic, body, django_capture_on_commit_callbacks) -> Post:
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/forums/topic/{topic.slug}/reply/", reply_data(body))
    assert response.status_code == 302
    return Post.objects.filter(author=member).latest("id")


def header_count(client) -> str:
    match = re.search(
        r'class="notifications-link">Notifications(.*?)</a>',
        client.get("/forums/").content.decode(),
    )
    return text_of_html(match.group(1)) if match else ""


def text_of_html(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
class TestMentions:
    def test_a_mentioned_member_sees_the_count_and_the_inbox(
        self, client, alice, erin, topic, django_capture_on_commit_callbacks
    ):
        post = reply_as(
            client, erin, topic, "What do you think, @alice?", django_capture_on_commit_callbacks
        )
        client.force_login(alice)
        assert header_count(client) == "1 unread"
        inbox = client.get("/notifications/")
        page = text_of(inbox)
        assert "Unread: Erin mentioned you in Squat depth" in page
        assert f'href="/forums/reply/{post.pk}/"' in inbox.content.decode()

    def test_the_author_blocked_and_unknown_members_are_not_notified(
        self, client, make_member, erin, topic, django_capture_on_commit_callbacks
    ):
        blocked = make_member("bert")
        member_set_role(member=blocked, role=User.Role.BLOCKED)
        reply_as(client, erin, topic, "@erin @bert @nobody", django_capture_on_commit_callbacks)
        assert Notification.objects.count() == 0

    def test_at_most_the_set_number_of_members_per_post(
        self, client, settings, make_member, erin, topic, django_capture_on_commit_callbacks
    ):
        settings.FORUM_MAX_MENTIONS = 2
        for name in ("m1", "m2", "m3"):
            make_member(name)
        reply_as(client, erin, topic, "@m1 @m2 @m3", django_capture_on_commit_callbacks)
        assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
            "m1",
            "m2",
        ]

    def test_an_edit_that_adds_a_mention_notifies_once(
        self, client, alice, erin, topic, django_capture_on_commit_callbacks
    ):
        post = reply_as(client, erin, topic, "No one yet.", django_capture_on_commit_callbacks)
        for body in ("Now @alice.", "Still @alice, edited again."):
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(
                    f"/forums/reply/{post.pk}/edit/", {"body": body, "reason": ""}
                )
            assert response.status_code == 302
        assert list(Notification.objects.values_list("recipient__username", "kind")) == [
            ("alice", "mention")
        ]
        assert User.objects.get(pk=alice.pk).unread_notifications == 1

    def test_a_held_post_notifies_when_approved(
        self, client, settings, alice, erin, topic, make_member, django_capture_on_commit_callbacks
    ):
        settings.FORUM_APPROVE_FIRST_POSTS = 1
        post = reply_as(client, erin, topic, "Hello @alice", django_capture_on_commit_callbacks)
        assert post.status == Post.Status.PENDING
        assert not Notification.objects.filter(recipient=alice).exists()
        assert Notification.objects.get(recipient=erin).kind == Notification.Kind.HELD
        with django_capture_on_commit_callbacks(execute=True):
            services.post_set_status(post=post, status=Post.Status.PUBLISHED)
        assert Notification.objects.get(recipient=alice).kind == Notification.Kind.MENTION
        client.force_login(erin)
        page = text_of(client.get("/notifications/"))
        assert "A moderator approved your post in Squat depth" in page
        assert "Your post is waiting for a moderator in Squat depth" in page

    def test_a_mention_in_a_post_hidden_since_is_not_shown(
        self, client, alice, erin, topic, django_capture_on_commit_callbacks
    ):
        post = reply_as(client, erin, topic, "@alice secret", django_capture_on_commit_callbacks)
        services.post_set_status(post=post, status=Post.Status.SPAM)
        client.force_login(alice)
        assert "Squat depth" not in text_of(client.get("/notifications/"))

    @pytest.mark.parametrize("hide", ["post", "topic", "author"])
    def test_a_post_hidden_since_leaves_the_header_count(
        self, client, alice, erin, topic, hide, django_capture_on_commit_callbacks
    ):
        post = reply_as(client, erin, topic, "@alice secret", django_capture_on_commit_callbacks)
        reply_as(  # elsewhere: stays unread unless its author is blocked
            client, erin, make_other_topic(topic), "@alice hi", django_capture_on_commit_callbacks
        )
        assert User.objects.get(pk=alice.pk).unread_notifications == 2
        with django_capture_on_commit_callbacks(execute=True):
            if hide == "post":
                services.post_set_status(post=post, status=Post.Status.TRASH)
            elif hide == "topic":
                services.topic_set_status(topic=topic, status="spam")
            else:
                services.member_block(member=erin)
        client.force_login(alice)
        expected = 0 if hide == "author" else 1
        assert User.objects.get(pk=alice.pk).unread_notifications == expected
        page = client.get("/notifications/").content.decode()
        assert page.count("notification--unread") == expected
        assert ("Other topic" in page) == (hide != "author")

    def test_deleting_a_trashed_post_leaves_every_count_true(
        self, client, alice, erin, topic, django_capture_on_commit_callbacks
    ):
        post = reply_as(client, erin, topic, "@alice secret", django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            services.post_set_status(post=post, status=Post.Status.TRASH)
        with django_capture_on_commit_callbacks(execute=True):
            services.post_delete(post=Post.objects.get(pk=post.pk))
        assert User.objects.get(pk=alice.pk).unread_notifications == 0
        assert unread_counts_repair(dry_run=True) == 0  # no member's count is wrong

    def test_deleting_a_topic_before_its_notifications_were_forgotten_repairs_the_counts(
        self, client, alice, erin, topic, django_capture_on_commit_callbacks
    ):
        reply_as(client, erin, topic, "@alice secret", django_capture_on_commit_callbacks)
        services.topic_set_status(topic=topic, status="trash")  # its task not run yet
        with django_capture_on_commit_callbacks(execute=True):
            services.topic_delete(topic=topic)
        assert User.objects.get(pk=alice.pk).unread_notifications == 0
        assert unread_counts_repair(dry_run=True) == 0  # no member's count is wrong


def make_other_topic(topic):
    return services.topic_create(
        forum=topic.forum, author=topic.author, title="Other topic", body="Elsewhere."
    )


@pytest.mark.django_db
class TestInbox:
    @pytest.fixture
    def mentioned(self, client, alice, erin, make_topic, django_capture_on_commit_callbacks):
        topics = [make_topic(title=f"Topic {n}") for n in range(3)]
        for t in topics:
            reply_as(client, erin, t, "Hey @alice", django_capture_on_commit_callbacks)
        client.force_login(alice)
        return list(Notification.objects.filter(recipient=alice).order_by("id"))

    def test_mark_one_as_read(self, client, alice, mentioned):
        response = client.post("/notifications/read/", {"id": mentioned[0].pk})
        assert response.status_code == 302
        assert User.objects.get(pk=alice.pk).unread_notifications == 2
        assert header_count(client) == "2 unread"

    def test_mark_all_as_read(self, client, alice, mentioned):
        client.post("/notifications/read/", {"all": "1"})
        assert User.objects.get(pk=alice.pk).unread_notifications == 0
        assert header_count(client) == ""
        assert "Unread:" not in text_of(client.get("/notifications/"))

    def test_nobody_marks_anothers_notifications(self, client, erin, alice, mentioned):
        client.force_login(erin)
        client.post("/notifications/read/", {"id": [n.pk for n in mentioned]})
        assert User.objects.get(pk=alice.pk).unread_notifications == 3

    def test_marking_is_a_post(self, client, mentioned):
        assert client.get("/notifications/read/").status_code == 405

    def test_the_inbox_is_for_members(self, client):
        response = client.get("/notifications/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_the_inbox_costs_a_fixed_number_of_queries(
        self,
        client,
        alice,
        erin,
        make_topic,
        mentioned,
        django_assert_num_queries,
        django_capture_on_commit_callbacks,
    ):
        with django_assert_num_queries(4):  # session, member, the total, the page
            client.get("/notifications/")
        for _ in range(10):
            reply_as(client, erin, make_topic(), "@alice again", django_capture_on_commit_callbacks)
        client.force_login(alice)
        with django_assert_num_queries(4):
            client.get("/notifications/")

    def test_anonymous_pages_have_no_notifications_link(self, client, guide_topic):
        assert "notifications-link" not in client.get("/forums/").content.decode()

    def test_old_notifications_are_pruned_with_the_counts(self, client, alice, mentioned, capsys):
        Notification.objects.filter(pk=mentioned[0].pk).update(
            created_at=timezone.now() - timedelta(days=100)
        )
        call_command("prune_notifications", "--dry-run")
        assert Notification.objects.count() == 3
        call_command("prune_notifications")
        assert "Deleted 1 notifications older than 90 days." in capsys.readouterr().out
        assert User.objects.get(pk=alice.pk).unread_notifications == 2


@pytest.mark.django_db
def test_a_wrong_unread_count_is_repaired_by_the_daily_prune(alice, capsys):
    User.objects.filter(pk=alice.pk).update(unread_notifications=5)
    call_command("prune_notifications")
    assert "Unread counts repaired: 1." in capsys.readouterr().out
    assert User.objects.get(pk=alice.pk).unread_notifications == 0
