"""Moderating from the admin: bulk actions go through the services and counters stay right."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client

from forum.models import Forum, Post, Topic
from forum.recount import recount_all
from tests.pages import text_of


@pytest.fixture
def keymaster_client(client, make_member):
    client.force_login(make_member("boss", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def thread(make_topic, make_reply, make_member, make_forum):
    forum = make_forum("Training")
    topic = make_topic(forum=forum, title="Squat depth", author=make_member("ann"))
    reply = make_reply(topic, author=make_member("bob"), body="Bob's reply")
    return topic, reply


def act(client, model: str, action: str, *objects):
    return client.post(
        f"/admin/forum/{model}/",
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
    )


def sentence(client, topic: Topic) -> str:
    client.logout()
    return re.search(r"This topic has .*? ago by [^.]+\.|This topic has .*?\.", text_of(
        client.get(topic.get_absolute_url())
    )).group(0)  # fmt: skip


@pytest.mark.django_db
class TestPostActions:
    def test_spamming_a_reply_hides_it_and_fixes_the_sentence(self, keymaster_client, thread):
        topic, reply = thread
        assert act(keymaster_client, "post", "mark_spam", reply).status_code == 302
        reply.refresh_from_db()
        assert reply.status == "spam"
        assert recount_all(dry_run=True) == []
        topic.refresh_from_db()
        assert (topic.reply_count, topic.hidden_reply_count, topic.voice_count) == (0, 1, 1)
        moderator_view = text_of(keymaster_client.get(topic.get_absolute_url()))
        assert "This topic has 0 replies (+1 hidden), 1 voice," in moderator_view
        assert "This reply is marked as spam. Bob's reply" in moderator_view
        keymaster_client.logout()
        reader_view = keymaster_client.get(topic.get_absolute_url())
        assert "Bob's reply" not in text_of(reader_view)
        assert sentence(keymaster_client, topic).startswith("This topic has 0 replies, 1 voice,")

    def test_publishing_it_again_restores_every_counter(self, keymaster_client, thread):
        topic, reply = thread
        act(keymaster_client, "post", "trash", reply)
        act(keymaster_client, "post", "publish", reply)
        assert recount_all(dry_run=True) == []
        topic.refresh_from_db()
        assert (topic.reply_count, topic.voice_count, topic.last_post_id) == (1, 2, reply.pk)
        assert Forum.objects.get(pk=topic.forum_id).post_count == 2

    def test_trashing_the_opening_post_takes_the_topic_with_it(self, keymaster_client, thread):
        topic, _ = thread
        act(keymaster_client, "post", "trash", topic.first_post)
        topic.refresh_from_db()
        assert topic.status == "trash"
        assert recount_all(dry_run=True) == []
        forum = Forum.objects.get(pk=topic.forum_id)
        assert (forum.topic_count, forum.post_count) == (0, 0)
        keymaster_client.logout()
        assert keymaster_client.get(topic.get_absolute_url()).status_code == 404

    def test_each_action_is_in_the_admin_history(self, keymaster_client, thread):
        _, reply = thread
        act(keymaster_client, "post", "mark_spam", reply)
        entry = LogEntry.objects.get(object_id=str(reply.pk))
        assert (entry.user.username, entry.get_change_message()) == ("boss", "Mark as spam")


@pytest.mark.django_db
class TestTopicActions:
    def test_close_and_open(self, keymaster_client, thread, make_member):
        topic, _ = thread
        act(keymaster_client, "topic", "close", topic)
        topic.refresh_from_db()
        assert topic.status == "closed"
        member = Client()
        member.force_login(make_member())
        assert "is closed to new replies" in text_of(member.get(topic.get_absolute_url()))
        act(keymaster_client, "topic", "reopen", topic)
        topic.refresh_from_db()
        assert topic.status == "open"

    def test_spam_and_restore_a_topic_moves_the_forum_counts(self, keymaster_client, thread):
        topic, _ = thread
        act(keymaster_client, "topic", "mark_spam", topic)
        forum = Forum.objects.get(pk=topic.forum_id)
        assert (forum.topic_count, forum.post_count, forum.last_post_id) == (0, 0, None)
        assert recount_all(dry_run=True) == []
        act(keymaster_client, "topic", "reopen", topic)
        forum.refresh_from_db()
        assert (forum.topic_count, forum.post_count) == (1, 2)
        assert recount_all(dry_run=True) == []

    def test_sticky_topics_come_first(self, keymaster_client, thread, make_topic):
        topic, _ = thread
        make_topic(forum=topic.forum, title="Newer topic")
        act(keymaster_client, "topic", "stick", topic)
        titles = re.findall(r'class="topic-title" href="[^"]+">([^<]+)<', keymaster_client.get(
            topic.forum.get_absolute_url()
        ).content.decode())  # fmt: skip
        assert titles == ["Squat depth", "Newer topic"]
        act(keymaster_client, "topic", "unstick", topic)
        topic.refresh_from_db()
        assert topic.pin == 0


@pytest.mark.django_db
def test_participants_cannot_use_the_admin_actions(client, thread, make_member):
    _, reply = thread
    client.force_login(make_member())
    response = act(client, "post", "mark_spam", reply)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert Post.objects.get(pk=reply.pk).status == "published"


@pytest.mark.django_db
def test_blocking_a_member_spams_all_their_posts_and_counters_stay_right(
    keymaster_client, thread, make_topic, make_member
):
    topic, reply = thread
    bob = reply.author
    own = make_topic(forum=topic.forum, title="Bob's spam topic", author=bob)
    response = keymaster_client.post(
        "/admin/accounts/user/", {"action": "block_and_spam", "_selected_action": [bob.pk]}
    )
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.role == "blocked"
    assert set(Post.objects.filter(author=bob).values_list("status", flat=True)) == {"spam"}
    own.refresh_from_db()
    assert own.status == "spam"
    assert recount_all(dry_run=True) == []
    forum = Forum.objects.get(pk=topic.forum_id)
    assert (forum.topic_count, forum.post_count) == (1, 1)
    blocked = Client()
    blocked.force_login(bob)
    assert "You cannot reply to this topic." in text_of(blocked.get(topic.get_absolute_url()))


@pytest.mark.django_db
class TestRoles:
    def change_role(self, client, member, role: str):
        joined = member.date_joined
        return client.post(
            f"/admin/accounts/user/{member.pk}/change/",
            {
                "username": member.username, "email": member.email, "is_active": "on",
                "date_joined_0": joined.strftime("%Y-%m-%d"),
                "date_joined_1": joined.strftime("%H:%M:%S"),
                "display_name": "", "role": role, "bio": "", "website": "",
            },
        )  # fmt: skip

    def test_a_keymaster_makes_a_moderator_who_can_moderate_and_no_more(
        self, keymaster_client, thread, make_member
    ):
        _, reply = thread
        carol = make_member("carol")
        assert self.change_role(keymaster_client, carol, "moderator").status_code == 302
        carol.refresh_from_db()
        assert (carol.role, carol.is_staff, carol.is_superuser) == ("moderator", True, False)

        moderator = Client()
        moderator.force_login(carol)
        act(moderator, "post", "mark_spam", reply)
        assert Post.objects.get(pk=reply.pk).status == "spam"
        assert moderator.get("/admin/forum/forum/add/").status_code == 403
        form = moderator.get(f"/admin/accounts/user/{reply.author_id}/change/")
        assert 'name="is_superuser"' not in form.content.decode()
        assert 'name="role"' not in form.content.decode()

    def test_taking_the_role_away_takes_the_admin_away(self, keymaster_client, make_member):
        carol = make_member("carol")
        self.change_role(keymaster_client, carol, "moderator")
        self.change_role(keymaster_client, carol, "participant")
        carol.refresh_from_db()
        assert (carol.role, carol.is_staff, carol.groups.count()) == ("participant", False, 0)

    def test_the_role_shows_under_the_name_on_every_post(self, client, thread, make_member):
        topic, reply = thread
        reply.author.role = "moderator"
        reply.author.save(update_fields=["role"])
        html = client.get(topic.get_absolute_url()).content.decode()
        assert '<span class="post__author-role">Moderator</span>' in html
        assert '<span class="post__author-role">Participant</span>' in html


@pytest.mark.django_db
def test_moderators_see_authors_ip_addresses_and_members_do_not(client, guide_topic, make_member):
    from forum import services

    reply = services.reply_create(
        topic=guide_topic, author=make_member(), body="Hi", author_ip="203.0.113.9"
    )
    client.force_login(make_member(role="moderator"))
    assert "203.0.113.9" in client.get(guide_topic.get_absolute_url()).content.decode()
    client.force_login(make_member())
    assert "203.0.113.9" not in client.get(guide_topic.get_absolute_url()).content.decode()
    assert reply.author_ip == "203.0.113.9"


@pytest.mark.django_db
class TestDeletingForGood:
    def delete(self, client, model: str, obj):
        return act(client, model, "delete_trashed", obj)

    def test_only_trashed_replies_are_deleted_and_counters_follow(self, keymaster_client, thread):
        topic, reply = thread
        self.delete(keymaster_client, "post", reply)
        assert Post.objects.filter(pk=reply.pk).exists()  # not in the trash: skipped
        act(keymaster_client, "post", "trash", reply)
        self.delete(keymaster_client, "post", reply)
        assert not Post.objects.filter(pk=reply.pk).exists()
        topic.refresh_from_db()
        assert (topic.reply_count, topic.hidden_reply_count) == (0, 0)
        assert recount_all(dry_run=True) == []
        assert LogEntry.objects.filter(object_id=str(reply.pk), action_flag=3).exists()

    def test_a_trashed_topic_goes_with_all_its_posts(self, keymaster_client, thread):
        topic, reply = thread
        act(keymaster_client, "topic", "trash", topic)
        self.delete(keymaster_client, "topic", topic)
        assert not Topic.objects.filter(pk=topic.pk).exists()
        assert not Post.objects.filter(pk=reply.pk).exists()
        forum = Forum.objects.get(pk=topic.forum_id)
        assert (forum.topic_count, forum.post_count, forum.last_post_id) == (0, 0, None)
        assert recount_all(dry_run=True) == []


@pytest.mark.django_db
def test_moving_a_topic_asks_for_the_forum_then_moves_the_counters(
    keymaster_client, thread, make_forum
):
    topic, _ = thread
    target = make_forum("Programming")
    asked = act(keymaster_client, "topic", "move_topics", topic)
    assert asked.status_code == 200
    assert '<label for="id_forum">Forum:</label>' in asked.content.decode()
    keymaster_client.post(
        "/admin/forum/topic/",
        {"action": "move_topics", "_selected_action": [topic.pk], "forum": target.pk,
         "apply": "1"},
    )  # fmt: skip
    topic.refresh_from_db()
    assert topic.forum == target
    target.refresh_from_db()
    assert (target.topic_count, target.post_count) == (1, 2)
    assert Forum.objects.get(name="Training").topic_count == 0
    assert recount_all(dry_run=True) == []
