"""A member's Topics Started and Replies Created counters follow every write, as readers see
them on the profile, and the recount finds them right (or repairs them)."""

import importlib
import re
import threading
import uuid
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client, TestCase

from accounts.models import User
from forum import services
from forum.models import Post, Topic
from forum.recount import recount_all
from tests.pages import text_of
from tests.threads import run_at_once


@pytest.fixture(autouse=True)
def _no_flood_control(settings):
    settings.FORUM_FLOOD_SECONDS = 0


@pytest.fixture
def keymaster(make_member) -> Client:
    """A Keymaster: moderates on the site and blocks in the admin."""
    client = Client()
    client.force_login(make_member("boss", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def thread(make_forum, make_topic, make_reply, make_member, ago):
    """Ann's topic with replies by Bob (two) and Ann (one)."""
    ann, bob = make_member("ann"), make_member("bob")
    topic = make_topic(forum=make_forum("Training"), title="Squat depth", author=ann,
                       created_at=ago(days=3))  # fmt: skip
    replies = [
        make_reply(topic, author=bob, body="Bob one", created_at=ago(days=2)),
        make_reply(topic, author=ann, body="Ann answers", created_at=ago(days=2, hours=-1)),
        make_reply(topic, author=bob, body="Bob two", created_at=ago(days=1)),
    ]
    return topic, replies


def profile(username: str) -> tuple[int, int]:
    """(Topics Started, Replies Created) as an anonymous reader sees them on the profile."""
    text = text_of(Client().get(f"/forums/users/{username}/"))
    started = re.search(r"Topics Started ([\d,]+)", text).group(1)
    created = re.search(r"Replies Created ([\d,]+)", text).group(1)
    return int(started.replace(",", "")), int(created.replace(",", ""))


def committed():
    """The writes in this block commit as they do on the site: their on_commit callbacks (the
    page cache's expiry) run as it exits. What pytest-django's
    ``django_capture_on_commit_callbacks(execute=True)`` gives, for helpers without fixtures."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def submit(client: Client, url: str, **data):
    with committed():
        return client.post(url, {"token": str(uuid.uuid4()), "action": "post", **data})


def moderate(client: Client, post: Post, action: str) -> None:
    with committed():
        response = client.post(f"/forums/reply/{post.pk}/moderate/{action}/")
    assert response.status_code == 302, response


def moderate_topic(client: Client, topic: Topic, action: str) -> None:
    with committed():
        response = client.post(f"/forums/topic/{topic.slug}/moderate/{action}/")
    assert response.status_code == 302, response


@pytest.mark.django_db
class TestPosting:
    def test_a_reply_counts_for_its_author(self, client, thread):
        topic, _ = thread
        client.force_login(User.objects.get(username="bob"))
        assert submit(client, f"{topic.get_absolute_url()}reply/", body="Third").status_code == 302
        assert profile("bob") == (0, 3)
        assert recount_all(dry_run=True) == []

    def test_a_new_topic_counts_as_a_topic_not_a_reply(self, client, thread):
        topic, _ = thread
        client.force_login(User.objects.get(username="bob"))
        submit(client, f"/forums/forum/{topic.forum.slug}/new/", title="Bob's own", body="Hi")
        assert profile("bob") == (1, 2)
        assert recount_all(dry_run=True) == []

    def test_a_held_reply_counts_once_a_moderator_approves_it(
        self, client, settings, thread, make_member, keymaster
    ):
        settings.FORUM_APPROVE_FIRST_POSTS = 1
        topic, _ = thread
        client.force_login(make_member("newcomer"))
        submit(client, f"{topic.get_absolute_url()}reply/", body="My first words")
        assert profile("newcomer") == (0, 0)
        assert recount_all(dry_run=True) == []
        moderate(keymaster, Post.objects.get(body="My first words"), "approve")
        assert profile("newcomer") == (0, 1)
        assert recount_all(dry_run=True) == []

    def test_a_held_topic_counts_once_a_moderator_approves_it(
        self, client, settings, make_forum, make_member, keymaster
    ):
        settings.FORUM_APPROVE_FIRST_POSTS = 1
        forum = make_forum("Training")
        client.force_login(make_member("newcomer"))
        submit(client, f"/forums/forum/{forum.slug}/new/", title="Hello", body="Hi all")
        assert profile("newcomer") == (0, 0)
        moderate(keymaster, Topic.objects.get(title="Hello").first_post, "approve")
        assert profile("newcomer") == (1, 0)
        assert recount_all(dry_run=True) == []


@pytest.mark.django_db
class TestModeratingPosts:
    @pytest.mark.parametrize("action", ["spam", "trash", "unapprove"])
    def test_hiding_a_reply_uncounts_it_and_restoring_counts_it_again(
        self, keymaster, thread, action
    ):
        _, replies = thread
        moderate(keymaster, replies[0], action)
        assert profile("bob") == (0, 1)
        assert recount_all(dry_run=True) == []
        moderate(keymaster, replies[0], "approve")
        assert profile("bob") == (0, 2)
        assert recount_all(dry_run=True) == []

    def test_hiding_an_opening_post_uncounts_the_topic_and_its_replies(self, keymaster, thread):
        topic, _ = thread
        moderate(keymaster, topic.first_post, "trash")
        assert (profile("ann"), profile("bob")) == ((0, 0), (0, 0))
        assert recount_all(dry_run=True) == []
        moderate(keymaster, topic.first_post, "approve")
        assert (profile("ann"), profile("bob")) == ((1, 1), (0, 2))
        assert recount_all(dry_run=True) == []

    def test_deleting_a_trashed_reply_for_good_changes_no_count(self, keymaster, thread):
        _, replies = thread
        moderate(keymaster, replies[0], "trash")
        keymaster.post(
            "/admin/forum/post/",
            {"action": "delete_trashed", "_selected_action": [replies[0].pk], "post": "yes"},
        )
        assert not Post.objects.filter(pk=replies[0].pk).exists()
        assert profile("bob") == (0, 1)
        assert recount_all(dry_run=True) == []


@pytest.mark.django_db
class TestModeratingTopics:
    @pytest.mark.parametrize("action", ["trash", "spam"])
    def test_hiding_a_topic_uncounts_it_for_every_author(self, keymaster, thread, action):
        topic, _ = thread
        moderate_topic(keymaster, topic, action)
        assert (profile("ann"), profile("bob")) == ((0, 0), (0, 0))
        assert recount_all(dry_run=True) == []
        moderate_topic(keymaster, topic, "open")
        assert (profile("ann"), profile("bob")) == ((1, 1), (0, 2))
        assert recount_all(dry_run=True) == []

    def test_a_closed_topic_still_counts(self, keymaster, thread):
        topic, _ = thread
        moderate_topic(keymaster, topic, "close")
        assert (profile("ann"), profile("bob")) == ((1, 1), (0, 2))
        assert recount_all(dry_run=True) == []

    def test_a_hidden_reply_stays_uncounted_when_its_topic_comes_back(self, keymaster, thread):
        topic, replies = thread
        moderate(keymaster, replies[0], "spam")
        moderate_topic(keymaster, topic, "trash")
        moderate_topic(keymaster, topic, "open")
        assert profile("bob") == (0, 1)
        assert recount_all(dry_run=True) == []

    def test_deleting_a_trashed_topic_for_good_changes_no_count(self, keymaster, thread):
        topic, _ = thread
        moderate_topic(keymaster, topic, "trash")
        keymaster.post(
            "/admin/forum/topic/",
            {"action": "delete_trashed", "_selected_action": [topic.pk], "post": "yes"},
        )
        assert not Topic.objects.filter(pk=topic.pk).exists()
        assert (profile("ann"), profile("bob")) == ((0, 0), (0, 0))
        assert recount_all(dry_run=True) == []

    def test_a_reply_in_a_hidden_topic_is_not_counted(self, client, keymaster, thread):
        topic, _ = thread
        moderate_topic(keymaster, topic, "trash")
        # The site refuses such a reply; an import or a script could still write one.
        services.reply_create(topic=topic, author=User.objects.get(username="bob"), body="Late")
        assert profile("bob") == (0, 0)
        moderate_topic(keymaster, topic, "open")
        assert profile("bob") == (0, 3)
        assert recount_all(dry_run=True) == []


@pytest.mark.django_db
class TestRestructuring:
    def test_merging_makes_the_opening_post_a_reply(
        self,
        keymaster,
        thread,
        make_topic,
        make_reply,
        make_member,
        ago,
        django_capture_on_commit_callbacks,
    ):
        older, _ = thread
        newer = make_topic(forum=older.forum, title="Newer", author=make_member("cat"),
                           created_at=ago(hours=5))  # fmt: skip
        make_reply(newer, author=User.objects.get(username="bob"), created_at=ago(hours=4))
        assert (profile("cat"), profile("bob")) == ((1, 0), (0, 3))
        with django_capture_on_commit_callbacks(execute=True):
            keymaster.post(f"/forums/topic/{newer.slug}/merge/", {"destination": older.slug})
        assert not Topic.objects.filter(pk=newer.pk).exists()
        assert (profile("cat"), profile("bob")) == ((0, 1), (0, 3))
        assert recount_all(dry_run=True) == []

    def test_splitting_makes_the_reply_an_opening_post(self, keymaster, thread):
        _, replies = thread
        keymaster.post(f"/forums/reply/{replies[1].pk}/split/", {"title": "Ann's aside"})
        assert Topic.objects.get(title="Ann's aside").author.username == "ann"
        # Ann's reply opens the new topic; Bob's later reply goes with it, still a reply.
        assert (profile("ann"), profile("bob")) == ((2, 0), (0, 2))
        assert recount_all(dry_run=True) == []

    def test_moving_a_reply_keeps_its_count(self, keymaster, thread, make_topic, ago):
        topic, replies = thread
        other = make_topic(forum=topic.forum, title="Other", created_at=ago(days=4))
        keymaster.post(f"/forums/reply/{replies[2].pk}/move/", {"destination": other.slug})
        assert Post.objects.get(pk=replies[2].pk).topic_id == other.pk
        assert profile("bob") == (0, 2)
        assert recount_all(dry_run=True) == []

    def test_moving_a_reply_out_of_a_hidden_topic_counts_it(
        self, keymaster, thread, make_topic, make_reply, ago, django_capture_on_commit_callbacks
    ):
        topic, _ = thread
        hidden = make_topic(forum=topic.forum, title="Hidden", created_at=ago(days=4))
        stray = make_reply(hidden, author=User.objects.get(username="bob"), created_at=ago(hours=1))
        moderate_topic(keymaster, hidden, "trash")
        assert profile("bob") == (0, 2)
        with django_capture_on_commit_callbacks(execute=True):
            keymaster.post(f"/forums/reply/{stray.pk}/move/", {"destination": topic.slug})
        assert Post.objects.get(pk=stray.pk).topic_id == topic.pk
        assert profile("bob") == (0, 3)
        assert recount_all(dry_run=True) == []

    def test_a_reply_as_old_as_the_target_becomes_its_opening_post(
        self, keymaster, make_topic, make_reply, make_member, ago
    ):
        at = ago(days=1)
        source = make_topic(title="Source", created_at=ago(days=2))
        early = make_reply(source, author=make_member("dan"), created_at=at)
        target = make_topic(title="Target", author=make_member("eve"), created_at=at)
        keymaster.post(f"/forums/reply/{early.pk}/move/", {"destination": target.slug})
        target.refresh_from_db()
        assert target.first_post_id == early.pk  # same moment, lower number: it opens
        # Eve keeps her topic (she started it); her opening post is now its reply.
        assert (profile("dan"), profile("eve")) == ((0, 0), (1, 1))
        assert recount_all(dry_run=True) == []


@pytest.mark.django_db
def test_blocking_a_member_uncounts_their_posts_and_the_replies_in_their_topics(
    keymaster, thread, make_topic, make_reply, django_capture_on_commit_callbacks
):
    topic, _ = thread
    bob, ann = User.objects.get(username="bob"), User.objects.get(username="ann")
    own = make_topic(forum=topic.forum, title="Bob's topic", author=bob)
    make_reply(own, author=ann)
    assert (profile("ann"), profile("bob")) == ((1, 2), (1, 2))
    with django_capture_on_commit_callbacks(execute=True):
        response = keymaster.post(
            "/admin/accounts/user/", {"action": "block_and_spam", "_selected_action": [bob.pk]}
        )
    assert response.status_code == 302
    # Ann's reply in Bob's (now spam) topic is hidden with it.
    assert (profile("ann"), profile("bob")) == ((1, 1), (0, 0))
    assert recount_all(dry_run=True) == []


@pytest.mark.django_db
def test_saving_a_member_loaded_earlier_keeps_the_counters(thread, make_reply):
    topic, _ = thread
    stale = User.objects.get(username="bob")  # reply_count 2, as a form would load it
    make_reply(topic, author=stale)
    stale.first_name = "Robert"
    stale.save()
    assert profile("bob") == (0, 3)
    assert User.objects.get(username="bob").first_name == "Robert"


@pytest.mark.django_db
class TestRepair:
    def zero(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE accounts_user SET topic_count = 0, reply_count = 0")

    def test_dry_run_reports_wrong_member_counters_and_writes_nothing(self, thread):
        self.zero()
        out = StringIO()
        call_command("recount", "--dry-run", stdout=out)
        output = out.getvalue()
        assert "“ann”: topic_count 0 -> 1" in output
        assert "“bob”: reply_count 0 -> 2" in output
        assert "members: batch 1/1" in output
        assert profile("bob") == (0, 0)

    def test_recount_repairs_zeroed_member_counters(self, thread):
        self.zero()
        fixes = recount_all(dry_run=True)
        assert {(fix.label.split("“")[1].rstrip("”"), fix.field, fix.now) for fix in fixes} >= {
            ("ann", "topic_count", 1),
            ("ann", "reply_count", 1),
            ("bob", "reply_count", 2),
        }
        call_command("recount", stdout=StringIO())
        assert (profile("ann"), profile("bob")) == ((1, 1), (0, 2))
        assert recount_all(dry_run=True) == []

    def test_the_migration_fills_the_counters_from_the_rows(self, thread):
        self.zero()
        migration = importlib.import_module("forum.migrations.0008_fill_member_counters")
        migration.fill_member_counters(apps, None)
        assert (profile("ann"), profile("bob")) == ((1, 1), (0, 2))
        assert recount_all(dry_run=True) == []


@pytest.mark.django_db(transaction=True)
def test_a_moderator_hiding_a_members_post_while_they_reply_to_that_topic(
    make_topic, make_reply, make_member, monkeypatch
):
    """The reply holds the member's lock and then wants the topic; the moderator holds the
    topic and then moves the member's counter. Neither may wait for the other (on PostgreSQL
    that was a deadlock, one of the two refused)."""
    topic = make_topic()
    ann = make_member("ann")
    old = make_reply(topic, author=ann, body="Old words")
    member_locked, go_on = threading.Event(), threading.Event()
    check_posting_rules = services._check_posting_rules

    def check_while_the_moderator_acts(**kwargs):
        member_locked.set()
        go_on.wait(10)
        return check_posting_rules(**kwargs)

    monkeypatch.setattr(services, "_check_posting_rules", check_while_the_moderator_acts)

    def reply() -> None:
        services.reply_submit(
            topic=topic, author=ann, body="New words", idempotency_token=uuid.uuid4()
        )

    def hide_the_old_post() -> None:
        assert member_locked.wait(10)
        # The reply goes on to lock the topic once the moderator holds it.
        threading.Timer(0.5, go_on.set).start()
        services.post_set_status(post=old, status=Post.Status.SPAM)

    errors = run_at_once(lambda job: job(), [reply, hide_the_old_post])

    assert errors == []
    assert profile("ann") == (0, 1)
    assert recount_all(dry_run=True) == []


@pytest.mark.django_db
def test_recount_repairs_which_posts_are_listed_as_replies(
    thread, django_capture_on_commit_callbacks
):
    topic, _ = thread
    Post.objects.filter(topic=topic).update(listed_as_reply=False)
    Post.objects.filter(pk=topic.first_post_id).update(listed_as_reply=True)
    assert "Bob one" not in text_of(Client().get("/forums/users/bob/replies/"))

    found = recount_all(dry_run=True)
    assert [(fix.label, fix.field, fix.was) for fix in found] == [
        (f"Topic #{topic.pk}", "posts wrongly listed as replies", 4)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        recount_all()
    assert recount_all(dry_run=True) == []
    page = text_of(Client().get("/forums/users/bob/replies/"))
    assert "Bob one" in page and "Bob two" in page
    assert "Opening post." not in text_of(Client().get("/forums/users/ann/replies/"))
