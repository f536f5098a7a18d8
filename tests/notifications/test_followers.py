"""A reply tells the members following its topic, in their inbox: fanned out in the worker in
batches, each member once, never the author or a blocked member."""

import uuid

import pytest

from accounts.models import User
from accounts.services import member_set_role
from forum import services
from forum.models import Post, TopicSubscription
from notifications import tasks
from notifications.models import Notification


@pytest.fixture
def followed(make_topic, make_member):
    topic = make_topic(title="Squat depth")
    followers = [make_member(f"follower{n}") for n in range(5)]
    for member in followers:
        TopicSubscription.objects.create(topic=topic, member=member)
    return topic, followers


def told(kind=Notification.Kind.REPLY) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


@pytest.mark.django_db
class TestFollowers:
    def test_a_reply_tells_every_follower_but_its_author(
        self, followed, make_reply, django_capture_on_commit_callbacks
    ):
        topic, followers = followed
        with django_capture_on_commit_callbacks(execute=True):
            services.reply_submit(
                topic=topic, author=followers[0], body="Below parallel.",
                idempotency_token=uuid.uuid4(),
            )  # fmt: skip
        assert told() == [f"follower{n}" for n in range(1, 5)]
        assert User.objects.get(pk=followers[1].pk).unread_notifications == 1

    def test_blocked_followers_are_left_out(self, followed, make_member, make_reply):
        topic, followers = followed
        member_set_role(member=followers[1], role=User.Role.BLOCKED)
        reply = make_reply(topic, author=make_member())
        tasks.notify_topic_subscribers.call(post_id=reply.pk)
        assert "follower1" not in told() and len(told()) == 4

    def test_batches_cost_the_same_statements_each_and_run_twice_tell_nobody_twice(
        self, followed, make_member, make_reply, monkeypatch, django_assert_num_queries
    ):
        monkeypatch.setattr(tasks, "FAN_OUT_BATCH", 2)
        topic, _ = followed
        reply = make_reply(topic, author=make_member())
        # The post; then per batch of two: the followers, those told already, the insert,
        # the counts (a savepoint before and after); and the empty last read.
        with django_assert_num_queries(1 + 3 * 6 + 1):
            assert tasks.notify_topic_subscribers.call(post_id=reply.pk) == 5
        assert tasks.notify_topic_subscribers.call(post_id=reply.pk) == 0
        assert len(told()) == 5
        assert set(User.objects.filter(username__startswith="follower").values_list(
            "unread_notifications", flat=True)) == {1}  # fmt: skip

    def test_a_held_reply_tells_followers_when_approved(
        self, followed, make_member, settings, django_capture_on_commit_callbacks
    ):
        settings.FORUM_APPROVE_FIRST_POSTS = 1
        settings.FORUM_FLOOD_SECONDS = 0
        topic, _ = followed
        with django_capture_on_commit_callbacks(execute=True):
            reply = services.reply_submit(
                topic=topic, author=make_member("newbie"), body="First post!",
                idempotency_token=uuid.uuid4(),
            )  # fmt: skip
        assert reply.status == Post.Status.PENDING and told() == []
        with django_capture_on_commit_callbacks(execute=True):
            services.post_set_status(post=reply, status=Post.Status.PUBLISHED)
        assert len(told()) == 5

    def test_an_opening_post_tells_no_topic_follower(self, followed):
        topic, _ = followed
        assert tasks.notify_topic_subscribers.call(post_id=topic.first_post_id) == 0
